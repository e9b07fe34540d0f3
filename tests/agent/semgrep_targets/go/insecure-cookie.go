// Test target for insecure-cookie.yaml.
package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func loginHandler(w http.ResponseWriter, r *http.Request) {
	// ruleid: bastion.go.insecure-cookie.missing-secure, bastion.go.insecure-cookie.missing-httponly
	http.SetCookie(w, &http.Cookie{Name: "session_id", Value: "abc", Path: "/"})
	// ruleid: bastion.go.insecure-cookie.missing-secure
	http.SetCookie(w, &http.Cookie{Name: "auth_token", Value: "abc", HttpOnly: true})
	// ok: bastion.go.insecure-cookie.missing-secure, bastion.go.insecure-cookie.missing-httponly
	http.SetCookie(w, &http.Cookie{Name: "session_id", Value: "abc", Secure: true, HttpOnly: true})
	// ok: bastion.go.insecure-cookie.missing-secure, bastion.go.insecure-cookie.missing-httponly
	http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark"})
	// ruleid: bastion.go.insecure-cookie.missing-httponly
	cookie := &http.Cookie{Name: "remember_me", Value: "abc"}
	cookie.Secure = true
	http.SetCookie(w, cookie)
}

func ginLogin(c *gin.Context) {
	// ruleid: bastion.go.insecure-cookie.missing-secure-gin
	c.SetCookie("session", "abc", 3600, "/", "example.com", false, true)
	// ruleid: bastion.go.insecure-cookie.missing-httponly-gin
	c.SetCookie("jwt", "abc", 3600, "/", "example.com", true, false)
	// ok: bastion.go.insecure-cookie.missing-secure-gin, bastion.go.insecure-cookie.missing-httponly-gin
	c.SetCookie("session", "abc", 3600, "/", "example.com", true, true)
	// ok: bastion.go.insecure-cookie.missing-secure-gin, bastion.go.insecure-cookie.missing-httponly-gin
	c.SetCookie("lang", "en", 3600, "/", "example.com", false, false)
}
