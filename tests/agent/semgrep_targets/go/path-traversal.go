// Test target for path-traversal.yaml.
package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-chi/chi/v5"
)

const baseDirectory = "/var/app/files"

func downloadHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	// ruleid: bastion.go.path-traversal
	data, _ := os.ReadFile(filepath.Join(baseDirectory, name))
	// ruleid: bastion.go.path-traversal
	http.ServeFile(w, r, "/var/app/public/"+r.URL.Query().Get("page"))
	// ok: bastion.go.path-traversal
	http.ServeFile(w, r, filepath.Join("/var/app/public", r.URL.Path))
	// ok: bastion.go.path-traversal
	cleaned, _ := os.ReadFile(filepath.Join(baseDirectory, filepath.Clean("/"+name)))
	// ok: bastion.go.path-traversal
	safe, _ := os.ReadFile(filepath.Join(baseDirectory, filepath.Base(name)))
	// ok: bastion.go.path-traversal
	fixed, _ := os.ReadFile(filepath.Join(baseDirectory, "index.html"))
	w.Write(append(append(append(data, safe...), fixed...), cleaned...))
}

func uploadHandler(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	// ruleid: bastion.go.path-traversal
	file, _ := os.Create("/var/app/uploads/" + name)
	defer file.Close()
	target := filepath.Join(baseDirectory, name)
	if !strings.HasPrefix(target, baseDirectory+string(os.PathSeparator)) {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	// ok: bastion.go.path-traversal
	os.Remove(target)
}

func openHandler(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	if strings.Contains(name, "..") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	// ok: bastion.go.path-traversal
	f, _ := os.Open(filepath.Join(baseDirectory, name))
	defer f.Close()
	raw := r.FormValue("raw")
	if !strings.HasPrefix(raw, "reports/") {
		return
	}
	// ruleid: bastion.go.path-traversal
	g, _ := os.Open(filepath.Join(baseDirectory, raw))
	defer g.Close()
}

func readConfig(name string) ([]byte, error) {
	// ok: bastion.go.path-traversal
	return os.ReadFile(filepath.Join("/etc/app", name))
}
