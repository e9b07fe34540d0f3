package exports

import (
	"net/http"
	"os"
	"path/filepath"
)

const exportRoot = "/var/lib/app/exports"

func HandleDownload(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" || !filepath.IsLocal(name) {
		http.Error(w, "invalid export name", http.StatusBadRequest)
		return
	}
	f, err := os.Open(filepath.Join(exportRoot, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil || info.IsDir() {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Disposition", "attachment")
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}
