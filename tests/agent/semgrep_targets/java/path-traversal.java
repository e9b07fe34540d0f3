// Test target for path-traversal.yaml.
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.commons.io.FilenameUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

public class DownloadServlet extends HttpServlet {
    private static final String BASE = "/var/app/files";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("file");
        // ruleid: bastion.java.path-traversal
        FileInputStream input = new FileInputStream(BASE + "/" + name);
        File file = new File(BASE, name);
        // ruleid: bastion.java.path-traversal
        FileInputStream second = new FileInputStream(file);
        // ok: bastion.java.path-traversal
        FileInputStream safe = new FileInputStream(new File(BASE, FilenameUtils.getName(name)));
        // ok: bastion.java.path-traversal
        FileInputStream fixed = new FileInputStream(new File(BASE, "index.html"));
        File checked = new File(BASE, name);
        if (!checked.getCanonicalPath().startsWith(BASE + File.separator)) {
            response.sendError(400);
            return;
        }
        // ok: bastion.java.path-traversal
        FileInputStream inside = new FileInputStream(checked);
        response.getOutputStream().write(input.readAllBytes());
        response.setContentLength(second.available() + safe.available() + fixed.available() + inside.available());
    }
}

@RestController
class FileController {
    private final Path base = Paths.get("/var/app/files");

    @GetMapping("/files/{name}")
    public byte[] read(@PathVariable String name) throws IOException {
        // ruleid: bastion.java.path-traversal
        return Files.readAllBytes(Paths.get("/var/app/files", name));
    }

    @GetMapping("/files")
    public String text(@RequestParam String path) throws IOException {
        // ruleid: bastion.java.path-traversal
        return Files.readString(base.resolve(path));
    }

    @GetMapping("/files/checked")
    public byte[] checked(@RequestParam String path) throws IOException {
        Path resolved = base.resolve(path).normalize();
        if (!resolved.startsWith(base)) {
            throw new IOException("outside the base directory");
        }
        // ok: bastion.java.path-traversal
        return Files.readAllBytes(resolved);
    }

    @GetMapping("/files/name")
    public byte[] byName(@RequestParam String path) throws IOException {
        // ok: bastion.java.path-traversal
        return Files.readAllBytes(base.resolve(Paths.get(path).getFileName().toString()));
    }

    @GetMapping("/files/prefix")
    public byte[] prefix(@RequestParam String path) throws IOException {
        if (!path.startsWith("reports/")) {
            throw new IOException("not a report");
        }
        // ruleid: bastion.java.path-traversal
        return Files.readAllBytes(base.resolve(path));
    }

    byte[] template(String name) throws IOException {
        // ok: bastion.java.path-traversal
        return Files.readAllBytes(base.resolve(name));
    }

    @GetMapping("/files/delete")
    public boolean delete(String name) {
        File file = new File("/var/app/files", name);
        // ruleid: bastion.java.path-traversal
        return file.delete();
    }

    @GetMapping("/files/exists")
    public boolean exists(Model model, String name) {
        File file = new File("/var/app/files", FilenameUtils.getName(name));
        // ok: bastion.java.path-traversal
        return file.delete();
    }

    interface Model {
    }
}

class LegalServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requested = request.getParameter("doc");
        String fileName = 3 * 5 > 10 ? "terms.pdf" : requested;
        // ok: bastion.java.path-traversal
        new FileInputStream(new File("/srv/legal", fileName)).close();
        String chosen = 7 * 3 > 20 ? requested : "terms.pdf";
        // ruleid: bastion.java.path-traversal
        new FileInputStream(new File("/srv/legal", chosen)).close();
        String undecided = requested.length() > 10 ? "terms.pdf" : requested;
        // ruleid: bastion.java.path-traversal
        new FileInputStream(new File("/srv/legal", undecided)).close();
    }
}
