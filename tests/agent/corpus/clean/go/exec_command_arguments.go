package backup

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"time"
)

var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

type request struct {
	Database string `json:"database"`
	Label    string `json:"label"`
}

func HandleBackup(w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !identifier.MatchString(req.Database) || !identifier.MatchString(req.Label) {
		http.Error(w, "database and label must be identifiers", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Minute)
	defer cancel()

	target := filepath.Join("/var/backups", req.Label+".dump")
	cmd := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file", target, "--", req.Database)
	if err := cmd.Run(); err != nil {
		http.Error(w, "backup failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
