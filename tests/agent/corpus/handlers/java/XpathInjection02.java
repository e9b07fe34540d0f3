package com.example.legacy;

import javax.xml.namespace.QName;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;

@RestController
public class XpathInjection02 {
    private final Document catalog;

    public XpathInjection02(Document catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/catalog/price")
    public String price(@RequestParam("sku") String sku) throws XPathExpressionException {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setXPathVariableResolver((QName name) -> "sku".equals(name.getLocalPart()) ? sku : null);
        return xpath.evaluate("/catalog/item[@sku=$sku]/price/text()", catalog);
    }
}
