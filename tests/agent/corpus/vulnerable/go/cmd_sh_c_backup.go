package backup

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"time"
)

type request struct {
	Database string `json:"database"`
	Label    string `json:"label"`
}

func HandleBackup(w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Database == "" {
		http.Error(w, "database is required", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Minute)
	defer cancel()

	cmd := exec.CommandContext(ctx, "sh", "-c", "pg_dump --format=custom "+req.Database+" > /var/backups/"+req.Label+".dump")
	if out, err := cmd.CombinedOutput(); err != nil {
		http.Error(w, "backup failed: "+string(out), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
