package com.example.library;

import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

@RestController
public class XpathInjection03 {
    private final Document library;

    public XpathInjection03(Document library) {
        this.library = library;
    }

    private String byTitle(String title) {
        return String.format("//book[contains(title, '%s')]", title);
    }

    @GetMapping("/library/books/count")
    public int count(
            @RequestParam("title") String title) throws XPathExpressionException {
        XPath xpath = XPathFactory.newInstance().newXPath();
        XPathExpression compiled = xpath.compile(byTitle(title));
        NodeList books = (NodeList) compiled.evaluate(library, XPathConstants.NODESET);
        return books.getLength();
    }
}
