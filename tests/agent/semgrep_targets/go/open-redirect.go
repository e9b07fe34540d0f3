// Test target for open-redirect.yaml.
package main

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

var allowedRedirects = map[string]bool{"/home": true, "/account": true}

func loginHandler(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	// ruleid: bastion.go.open-redirect
	http.Redirect(w, r, next, http.StatusFound)
	// ruleid: bastion.go.open-redirect
	w.Header().Set("Location", r.FormValue("to"))
	// ok: bastion.go.open-redirect
	http.Redirect(w, r, "/home", http.StatusFound)
	// ok: bastion.go.open-redirect
	w.Header().Set("X-Next", next)
}

func checkedHandler(w http.ResponseWriter, r *http.Request) {
	next := r.FormValue("next")
	if !allowedRedirects[next] {
		next = "/home"
	}
	// ok: bastion.go.open-redirect
	http.Redirect(w, r, next, http.StatusFound)
}

func relativeHandler(w http.ResponseWriter, r *http.Request) {
	next := r.FormValue("next")
	target, err := url.Parse(next)
	if err != nil || target.IsAbs() || target.Host != "" {
		http.Error(w, "bad redirect", http.StatusBadRequest)
		return
	}
	// ok: bastion.go.open-redirect
	http.Redirect(w, r, next, http.StatusFound)
	// ok: bastion.go.open-redirect
	http.Redirect(w, r, target.String(), http.StatusFound)
}

func ginRedirect(c *gin.Context) {
	// ruleid: bastion.go.open-redirect
	c.Redirect(http.StatusFound, c.Query("url"))
}

func afterLogin(w http.ResponseWriter, r *http.Request, saved string) {
	// ok: bastion.go.open-redirect
	http.Redirect(w, r, saved, http.StatusFound)
}

func isLocalPath(target string) bool {
	return strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "//")
}

func continueHandler(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if !isLocalPath(next) {
		http.Error(w, "invalid redirect", http.StatusBadRequest)
		return
	}
	// ok: bastion.go.open-redirect
	http.Redirect(w, r, next, http.StatusFound)
}

func returnHandler(w http.ResponseWriter, r *http.Request) {
	back := r.URL.Query().Get("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
		http.Error(w, "invalid redirect", http.StatusBadRequest)
		return
	}
	// ok: bastion.go.open-redirect
	http.Redirect(w, r, back, http.StatusFound)
}

func hasScheme(target string) bool {
	return strings.HasPrefix(target, "https://")
}

func forwardHandler(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("to")
	if !hasScheme(to) {
		return
	}
	// ruleid: bastion.go.open-redirect
	http.Redirect(w, r, to, http.StatusFound)
}
