package main

import (
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"net/http"
)

type registration struct {
	db *sql.DB
}

func (h *registration) register(w http.ResponseWriter, r *http.Request) {
	username := r.PostFormValue("username")
	password := r.PostFormValue("password")
	sum := md5.Sum([]byte(password))
	_, err := h.db.ExecContext(r.Context(),
		"INSERT INTO users (username, password_hash) VALUES ($1, $2)", username, hex.EncodeToString(sum[:]))
	if err != nil {
		http.Error(w, "registration failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func Routes(mux *http.ServeMux, db *sql.DB) {
	h := &registration{db: db}
	mux.HandleFunc("/register", h.register)
}
