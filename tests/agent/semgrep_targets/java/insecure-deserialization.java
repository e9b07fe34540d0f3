// Test target for insecure-deserialization.yaml.
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thoughtworks.xstream.XStream;
import java.beans.XMLDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import javax.servlet.http.HttpServletRequest;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

public class ImportService {
    Object readSession(HttpServletRequest request) throws IOException, ClassNotFoundException {
        ObjectInputStream in = new ObjectInputStream(request.getInputStream());
        // ruleid: bastion.java.insecure-deserialization
        return in.readObject();
    }

    Object readFiltered(InputStream body) throws IOException, ClassNotFoundException {
        ObjectInputStream in = new ObjectInputStream(body);
        in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.dto.*;!*"));
        // ok: bastion.java.insecure-deserialization
        return in.readObject();
    }

    Object readXml(InputStream body) {
        // ruleid: bastion.java.insecure-deserialization
        return new XMLDecoder(body).readObject();
    }

    Object readXStream(String xml) {
        XStream xstream = new XStream();
        // ruleid: bastion.java.insecure-deserialization
        return xstream.fromXML(xml);
    }

    Object readXStreamAllowListed(String xml) {
        XStream xstream = new XStream();
        xstream.allowTypes(new Class[] {Invoice.class});
        // ok: bastion.java.insecure-deserialization
        return xstream.fromXML(xml);
    }

    Object readYaml(String document) {
        Yaml yaml = new Yaml();
        // ruleid: bastion.java.insecure-deserialization
        return yaml.load(document);
    }

    Object readSafeYaml(String document) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        // ok: bastion.java.insecure-deserialization
        return yaml.load(document);
    }

    Invoice readJson(String json) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        // ok: bastion.java.insecure-deserialization
        return mapper.readValue(json, Invoice.class);
    }

    ObjectMapper polymorphic() {
        ObjectMapper mapper = new ObjectMapper();
        // ruleid: bastion.java.insecure-deserialization
        mapper.enableDefaultTyping();
        return mapper;
    }

    static class Invoice {
        public String number;
    }
}
