package handlers

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"
)

type ReportHandler struct {
	db *sql.DB
}

func (h *ReportHandler) OpenCount(w http.ResponseWriter, r *http.Request) {
	clauses := map[string]string{"status": "open", "owner": r.FormValue("owner")}
	query := "SELECT COUNT(*) FROM tickets WHERE status = '" + clauses["status"] + "'"
	var count int
	if err := h.db.QueryRowContext(r.Context(), query).Scan(&count); err != nil {
		http.Error(w, "count failed", http.StatusInternalServerError)
		return
	}
	log.Printf("open count requested, owner filter length %d", len(clauses["owner"]))
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintf(w, "%d open tickets", count)
}

func Register(mux *http.ServeMux, db *sql.DB) {
	mux.HandleFunc("/reports/open", (&ReportHandler{db: db}).OpenCount)
}
