// Test target for command-injection.yaml.
import java.io.IOException;
import java.util.List;
import java.util.Set;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

public class PingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String host = request.getParameter("host");
        // ruleid: bastion.java.command-injection
        Runtime.getRuntime().exec("ping -c 1 " + host);
        // ruleid: bastion.java.command-injection
        Runtime.getRuntime().exec(new String[] {"sh", "-c", "ping -c 1 " + host});
        // ok: bastion.java.command-injection
        Runtime.getRuntime().exec(new String[] {"ping", "-c", "1", host});
        // ok: bastion.java.command-injection
        Runtime.getRuntime().exec("uptime");
    }
}

@RestController
class ToolController {
    private static final Set<String> TOOLS = Set.of("uptime", "df");

    @GetMapping("/run")
    public String run(@RequestParam String tool, @RequestParam String argument) throws IOException {
        // ruleid: bastion.java.command-injection
        new ProcessBuilder(tool, "--version").start();
        // ruleid: bastion.java.command-injection
        new ProcessBuilder("/bin/bash", "-c", "grep " + argument + " /var/log/app.log").start();
        // ruleid: bastion.java.command-injection
        new ProcessBuilder(List.of("sh", "-c", argument)).start();
        ProcessBuilder builder = new ProcessBuilder();
        // ruleid: bastion.java.command-injection
        builder.command("cmd.exe", "/c", "dir " + argument);
        // ok: bastion.java.command-injection
        new ProcessBuilder("grep", "--", argument, "/var/log/app.log").start();
        // ok: bastion.java.command-injection
        new ProcessBuilder(List.of("git", "log", argument)).start();
        return "started";
    }

    @GetMapping("/tool")
    public String tool(@RequestParam String name) throws IOException {
        if (!TOOLS.contains(name)) {
            return "unknown tool";
        }
        // ok: bastion.java.command-injection
        new ProcessBuilder(name).start();
        return "started";
    }

    void backup(String directory) throws IOException {
        // ok: bastion.java.command-injection
        Runtime.getRuntime().exec("tar czf /tmp/backup.tgz " + directory);
    }

    public static void main(String[] args) throws IOException {
        // ruleid: bastion.java.command-injection
        Runtime.getRuntime().exec("convert " + args[0] + " out.png");
    }
}

class LookupServlet extends javax.servlet.http.HttpServlet {
    private String[] lookupCommand(String host) {
        return new String[] {"/bin/sh", "-c", "nslookup " + host};
    }

    private String[] pingCommand(String host) {
        return new String[] {"ping", "-c", "1", host};
    }

    @Override
    protected void doGet(javax.servlet.http.HttpServletRequest request, javax.servlet.http.HttpServletResponse response)
            throws java.io.IOException {
        String host = request.getParameter("host");
        // ruleid: bastion.java.command-injection
        String[] command = lookupCommand(host);
        Runtime.getRuntime().exec(command);
        // ok: bastion.java.command-injection
        String[] ping = pingCommand(host);
        Runtime.getRuntime().exec(ping);
        // ok: bastion.java.command-injection
        Runtime.getRuntime().exec(lookupCommand("example.com"));
    }
}
