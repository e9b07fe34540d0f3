package com.example.feeds;

import java.io.ByteArrayInputStream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

@RestController
public class Xxe04 {
    private final DocumentBuilderFactory factory;

    public Xxe04() {
        factory = DocumentBuilderFactory.newInstance();
        factory.setIgnoringComments(true);
    }

    @PostMapping(value = "/feeds/validate", consumes = "application/rss+xml")
    public int validate(
            @RequestBody byte[] feedBytes) throws Exception {
        byte[] payload = feedBytes.clone();
        DocumentBuilder parser = factory.newDocumentBuilder();
        Document feed = parser.parse(new InputSource(new ByteArrayInputStream(payload)));
        return feed.getElementsByTagName("item").getLength();
    }
}
