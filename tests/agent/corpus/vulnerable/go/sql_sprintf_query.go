package inventory

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
)

type Device struct {
	ID       int64  `json:"id"`
	Hostname string `json:"hostname"`
	Site     string `json:"site"`
}

type Handler struct {
	DB *sql.DB
}

func (h *Handler) DevicesBySite(w http.ResponseWriter, r *http.Request) {
	site := r.URL.Query().Get("site")
	rows, err := h.DB.QueryContext(r.Context(), fmt.Sprintf("SELECT id, hostname, site FROM devices WHERE site = '%s' ORDER BY hostname", site))
	if err != nil {
		http.Error(w, "query failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	devices := []Device{}
	for rows.Next() {
		var d Device
		if err := rows.Scan(&d.ID, &d.Hostname, &d.Site); err != nil {
			http.Error(w, "scan failed", http.StatusInternalServerError)
			return
		}
		devices = append(devices, d)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(devices)
}
