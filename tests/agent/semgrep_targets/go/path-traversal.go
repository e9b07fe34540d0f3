// Test target for path-traversal.yaml.
package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"
)

const baseDir = "/srv/app/files"

func downloadHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	// ruleid: bastion.go.path-traversal
	data, _ := os.ReadFile(filepath.Join(baseDir, name))
	w.Write(data)
}

func serveHandler(w http.ResponseWriter, r *http.Request) {
	// ruleid: bastion.go.path-traversal
	http.ServeFile(w, r, baseDir+"/"+r.FormValue("name"))
}

func ginDownload(c *gin.Context) {
	// ruleid: bastion.go.path-traversal
	c.File(filepath.Join(baseDir, c.Query("file")))
}

func safeDownloadHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	full := filepath.Join(baseDir, name)
	if !strings.HasPrefix(full, baseDir+string(os.PathSeparator)) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	// ok: bastion.go.path-traversal
	data, _ := os.ReadFile(full)
	w.Write(data)
}

func localHandler(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	if !filepath.IsLocal(name) {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	// ok: bastion.go.path-traversal
	data, _ := os.ReadFile(filepath.Join(baseDir, name))
	w.Write(data)
}

func baseHandler(w http.ResponseWriter, r *http.Request) {
	// ok: bastion.go.path-traversal
	data, _ := os.ReadFile(filepath.Join(baseDir, filepath.Base(r.FormValue("name"))))
	w.Write(data)
}

func motdHandler(w http.ResponseWriter, r *http.Request) {
	// ok: bastion.go.path-traversal
	data, _ := os.ReadFile(filepath.Join(baseDir, "motd.txt"))
	w.Write(data)
}
