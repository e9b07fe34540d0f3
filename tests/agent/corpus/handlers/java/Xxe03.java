package com.example.settings;

import java.io.File;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;

@RestController
public class Xxe03 {
    private static final File DEFAULTS = new File("/etc/shop/defaults.xml");
    private static final Set<String> KEYS = Set.of("currency", "locale", "timezone");

    @GetMapping("/settings/{key}")
    public ResponseEntity<String> setting(@PathVariable String key) throws Exception {
        if (!KEYS.contains(key)) {
            return ResponseEntity.notFound().build();
        }
        Document defaults = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DEFAULTS);
        return ResponseEntity.ok(defaults.getElementsByTagName(key).item(0).getTextContent());
    }
}
