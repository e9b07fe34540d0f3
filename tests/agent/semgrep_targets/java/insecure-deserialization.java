// Test target for insecure-deserialization.yaml.
import com.thoughtworks.xstream.XStream;
import java.beans.XMLDecoder;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Base64;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

public class ImportServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // ruleid: bastion.java.insecure-deserialization
        ObjectInputStream input = new ObjectInputStream(request.getInputStream());
        // ruleid: bastion.java.insecure-deserialization
        XMLDecoder decoder = new XMLDecoder(request.getInputStream());
        try {
            response.getWriter().print(input.readObject().toString() + decoder.readObject());
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    Object loadCache() throws IOException, ClassNotFoundException {
        // ok: bastion.java.insecure-deserialization
        ObjectInputStream input = new ObjectInputStream(new FileInputStream("/var/cache/app.ser"));
        return input.readObject();
    }
}

@RestController
class SettingsController {
    private final XStream xstream = new XStream();

    @PostMapping("/settings")
    public Object settings(@RequestBody String body) {
        // ruleid: bastion.java.insecure-deserialization
        Object fromXml = xstream.fromXML(body);
        // ruleid: bastion.java.insecure-deserialization
        Object fromYaml = new Yaml().load(body);
        Yaml safe = new Yaml(new SafeConstructor(new LoaderOptions()));
        // ok: bastion.java.insecure-deserialization
        Map<String, Object> map = safe.load(body);
        return java.util.List.of(fromXml, fromYaml, map);
    }

    @PostMapping("/session")
    public Object session(@RequestParam String state) throws IOException, ClassNotFoundException {
        byte[] bytes = Base64.getDecoder().decode(state);
        // ruleid: bastion.java.insecure-deserialization
        ObjectInputStream input = new ObjectInputStream(new ByteArrayInputStream(bytes));
        return input.readObject();
    }

    Object defaults() {
        // ok: bastion.java.insecure-deserialization
        return new Yaml().load("retries: 3");
    }
}

@org.springframework.web.bind.annotation.RestController
class WizardController {
    private Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream objectInput = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return objectInput.readObject();
        }
    }

    private Object defaults() throws IOException, ClassNotFoundException {
        return decode(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/etc/app/defaults.bin")));
    }

    @PostMapping("/wizard/resume")
    public String resume(@org.springframework.web.bind.annotation.RequestParam("state") String encodedState)
            throws IOException, ClassNotFoundException {
        byte[] raw = Base64.getDecoder().decode(encodedState);
        // ruleid: bastion.java.insecure-deserialization
        Object state = decode(raw);
        // ok: bastion.java.insecure-deserialization
        Object fallback = decode(new byte[0]);
        return "resumed " + state + fallback + defaults();
    }
}
