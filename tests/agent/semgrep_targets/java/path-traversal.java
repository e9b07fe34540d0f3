// Test target for path-traversal.yaml.
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.servlet.http.HttpServletRequest;
import org.apache.commons.io.FilenameUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
public class DownloadController {
    private static final String BASE_DIR = "/srv/app/files/";
    private static final Path BASE = Paths.get(BASE_DIR).toAbsolutePath().normalize();

    @GetMapping("/download")
    public byte[] download(@RequestParam String name) throws IOException {
        // ruleid: bastion.java.path-traversal
        return Files.readAllBytes(Paths.get(BASE_DIR + name));
    }

    InputStream open(HttpServletRequest request) throws IOException {
        File file = new File(BASE_DIR, request.getParameter("file"));
        // ruleid: bastion.java.path-traversal
        return new FileInputStream(file);
    }

    @PostMapping("/upload")
    public String upload(@RequestParam("file") MultipartFile upload) throws IOException {
        // ruleid: bastion.java.path-traversal
        upload.transferTo(new File(BASE_DIR + upload.getOriginalFilename()));
        // ok: bastion.java.path-traversal
        upload.transferTo(new File(BASE_DIR + FilenameUtils.getName(upload.getOriginalFilename())));
        return "ok";
    }

    @GetMapping("/safe/download")
    public byte[] safeDownload(@RequestParam String name) throws IOException {
        Path target = BASE.resolve(name).normalize();
        if (!target.startsWith(BASE)) {
            throw new SecurityException("outside the download directory");
        }
        // ok: bastion.java.path-traversal
        return Files.readAllBytes(target);
    }

    @GetMapping("/safe/canonical")
    public byte[] canonical(@RequestParam String name) throws IOException {
        File file = new File(BASE_DIR, name);
        if (!file.getCanonicalPath().startsWith(new File(BASE_DIR).getCanonicalPath() + File.separator)) {
            throw new SecurityException("outside the download directory");
        }
        // ok: bastion.java.path-traversal
        return Files.readAllBytes(file.toPath());
    }

    @GetMapping("/safe/name")
    public byte[] byName(@RequestParam String name) throws IOException {
        // ok: bastion.java.path-traversal
        return Files.readAllBytes(BASE.resolve(Paths.get(name).getFileName()));
    }

    @GetMapping("/motd")
    public byte[] motd() throws IOException {
        // ok: bastion.java.path-traversal
        return Files.readAllBytes(Paths.get(BASE_DIR, "motd.txt"));
    }
}
