// Test target for command-injection.yaml.
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class PingServlet extends HttpServlet {
    private static final Map<String, String> TOOLS = Map.of("git", "/usr/bin/git");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String host = request.getParameter("host");
        // ruleid: bastion.java.command-injection
        Process ping = Runtime.getRuntime().exec("ping -c 1 " + host);
        // ruleid: bastion.java.command-injection
        Process lookup = new ProcessBuilder("/bin/sh", "-c", "nslookup " + host).start();
        // ruleid: bastion.java.command-injection
        Process dig = Runtime.getRuntime().exec(new String[] {"bash", "-c", "dig " + host});
        // ok: bastion.java.command-injection
        Process safe = new ProcessBuilder("ping", "-c", "1", host).start();
        // ok: bastion.java.command-injection
        Process array = Runtime.getRuntime().exec(new String[] {"nslookup", host});
        // ok: bastion.java.command-injection
        Process constant = Runtime.getRuntime().exec("uptime");
        response.getWriter().println(ping.pid() + lookup.pid() + dig.pid() + safe.pid() + array.pid() + constant.pid());
    }

    void archive(String directory) throws IOException {
        Runtime runtime = Runtime.getRuntime();
        String command = "tar czf /tmp/backup.tgz " + directory;
        // ruleid: bastion.java.command-injection
        runtime.exec(command);
        String[] argv = {"tar", "czf", "/tmp/backup.tgz", directory};
        // ok: bastion.java.command-injection
        runtime.exec(argv);
    }

    void run(HttpServletRequest request) throws IOException {
        String tool = request.getParameter("tool");
        // ruleid: bastion.java.command-injection.tainted-program
        new ProcessBuilder(tool, "--version").start();
        // ok: bastion.java.command-injection.tainted-program
        new ProcessBuilder(TOOLS.getOrDefault("git", "/usr/bin/git"), "--version").start();
        // ok: bastion.java.command-injection.tainted-program
        new ProcessBuilder("/usr/bin/file", tool).start();
        // ok: bastion.java.command-injection.tainted-program
        new ProcessBuilder(List.of("/usr/bin/file", tool)).start();
        // ruleid: bastion.java.command-injection.tainted-program
        new ProcessBuilder(List.of(tool, "--help")).start();
    }
}
