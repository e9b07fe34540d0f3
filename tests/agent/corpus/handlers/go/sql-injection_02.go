package main

import (
	"database/sql"
	"encoding/json"
	"net/http"

	"github.com/gorilla/mux"
)

type invoiceHandler struct {
	db *sql.DB
}

func (h *invoiceHandler) show(w http.ResponseWriter, r *http.Request) {
	invoiceID := mux.Vars(r)["id"]
	var total float64
	var status string
	err := h.db.QueryRowContext(r.Context(),
		"SELECT total, status FROM invoices WHERE id = $1", invoiceID).Scan(&total, &status)
	if err == sql.ErrNoRows {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]interface{}{"total": total, "status": status})
}

func routes(db *sql.DB) *mux.Router {
	router := mux.NewRouter()
	h := &invoiceHandler{db: db}
	router.HandleFunc("/invoices/{id}", h.show).Methods(http.MethodGet)
	return router
}
