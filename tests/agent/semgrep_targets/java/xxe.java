// Test target for xxe.yaml.
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.transform.TransformerFactory;
import org.dom4j.io.SAXReader;
import org.w3c.dom.Document;

public class XmlImporter {
    Document parse(InputStream input) throws Exception {
        // ruleid: bastion.java.xxe
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(input);
    }

    Document parseSafely(InputStream input) throws Exception {
        // ok: bastion.java.xxe
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(input);
    }

    SAXParser saxParser() throws Exception {
        // ruleid: bastion.java.xxe
        SAXParserFactory factory = SAXParserFactory.newInstance();
        return factory.newSAXParser();
    }

    SAXParser secureSaxParser() throws Exception {
        // ok: bastion.java.xxe
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return factory.newSAXParser();
    }

    Object stream(InputStream input) throws Exception {
        // ruleid: bastion.java.xxe
        XMLInputFactory factory = XMLInputFactory.newInstance();
        return factory.createXMLStreamReader(input);
    }

    Object safeStream(InputStream input) throws Exception {
        // ok: bastion.java.xxe
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        return factory.createXMLStreamReader(input);
    }

    Object transformer() throws Exception {
        // ruleid: bastion.java.xxe
        TransformerFactory factory = TransformerFactory.newInstance();
        return factory.newTransformer();
    }

    Object safeTransformer() throws Exception {
        // ok: bastion.java.xxe
        TransformerFactory factory = TransformerFactory.newInstance();
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        return factory.newTransformer();
    }

    Object dom4j(InputStream input) throws Exception {
        // ruleid: bastion.java.xxe
        SAXReader reader = new SAXReader();
        return reader.read(input);
    }

    Object safeDom4j(InputStream input) throws Exception {
        // ok: bastion.java.xxe
        SAXReader reader = new SAXReader();
        reader.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return reader.read(input);
    }

    Object configuredInTry(InputStream input) throws Exception {
        // ok: bastion.java.xxe
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return factory.newDocumentBuilder().parse(input);
    }
}

class FeedValidator {
    private final DocumentBuilderFactory factory;

    FeedValidator() {
        // ruleid: bastion.java.xxe
        factory = DocumentBuilderFactory.newInstance();
        factory.setIgnoringComments(true);
    }

    int items(byte[] feed) throws Exception {
        return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(feed)).getElementsByTagName("item").getLength();
    }
}

class HardenedFeedValidator {
    private final DocumentBuilderFactory factory;

    HardenedFeedValidator() throws Exception {
        // ok: bastion.java.xxe
        factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    }
}

class SettingsReader {
    private static final java.io.File DEFAULTS = new java.io.File("/etc/shop/defaults.xml");

    String setting(String key) throws Exception {
        // ok: bastion.java.xxe
        Document defaults = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DEFAULTS);
        return defaults.getElementsByTagName(key).item(0).getTextContent();
    }

    String bundled() throws Exception {
        // ok: bastion.java.xxe
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        Document document = factory.newDocumentBuilder().parse(SettingsReader.class.getResourceAsStream("/defaults.xml"));
        return document.getDocumentElement().getTagName();
    }

    String uploaded(InputStream upload) throws Exception {
        // ruleid: bastion.java.xxe
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(upload);
        return document.getDocumentElement().getTagName();
    }
}
