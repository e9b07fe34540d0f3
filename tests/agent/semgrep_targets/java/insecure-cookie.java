// Test target for insecure-cookie.yaml.
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;

public class SessionCookies {
    void login(HttpServletResponse response, String sessionId) {
        Cookie cookie = new Cookie("SESSIONID", sessionId);
        cookie.setPath("/");
        // ruleid: bastion.java.insecure-cookie.missing-secure, bastion.java.insecure-cookie.missing-httponly
        response.addCookie(cookie);
    }

    void remember(HttpServletResponse response, String token) {
        Cookie cookie = new Cookie("remember_me", token);
        cookie.setHttpOnly(true);
        // ruleid: bastion.java.insecure-cookie.missing-secure
        response.addCookie(cookie);
    }

    void secureLogin(HttpServletRequest request, HttpServletResponse response, String sessionId) {
        Cookie cookie = new Cookie("SESSIONID", sessionId);
        cookie.setSecure(true);
        // ruleid: bastion.java.insecure-cookie.missing-httponly
        response.addCookie(cookie);
        Cookie full = new Cookie("auth_token", sessionId);
        full.setSecure(request.isSecure());
        full.setHttpOnly(true);
        // ok: bastion.java.insecure-cookie.missing-secure, bastion.java.insecure-cookie.missing-httponly
        response.addCookie(full);
    }

    void preferences(HttpServletResponse response, String theme) {
        Cookie cookie = new Cookie("theme", theme);
        // ok: bastion.java.insecure-cookie.missing-secure, bastion.java.insecure-cookie.missing-httponly
        response.addCookie(cookie);
    }

    ResponseEntity<Void> spring(String jwt) {
        // ruleid: bastion.java.insecure-cookie.missing-secure-response-cookie, bastion.java.insecure-cookie.missing-httponly-response-cookie
        ResponseCookie weak = ResponseCookie.from("access_token", jwt).path("/").build();
        // ruleid: bastion.java.insecure-cookie.missing-secure-response-cookie
        ResponseCookie half = ResponseCookie.from("refresh_token", jwt).httpOnly(true).path("/").build();
        // ok: bastion.java.insecure-cookie.missing-secure-response-cookie, bastion.java.insecure-cookie.missing-httponly-response-cookie
        ResponseCookie strong = ResponseCookie.from("access_token", jwt).httpOnly(true).secure(true).path("/").build();
        // ok: bastion.java.insecure-cookie.missing-secure-response-cookie, bastion.java.insecure-cookie.missing-httponly-response-cookie
        ResponseCookie language = ResponseCookie.from("lang", "en").path("/").build();
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, weak.toString(), half.toString(), strong.toString(), language.toString())
                .build();
    }
}
