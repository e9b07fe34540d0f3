package exports

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
)

const exportRoot = "/var/lib/app/exports"

func HandleDownload(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" {
		http.Error(w, "name is required", http.StatusBadRequest)
		return
	}
	f, err := os.Open(filepath.Join(exportRoot, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()

	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Disposition", "attachment")
	_, _ = io.Copy(w, f)
}
