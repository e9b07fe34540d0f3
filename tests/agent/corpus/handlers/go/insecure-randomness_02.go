package main

import (
	"crypto/rand"
	"encoding/hex"
	"log"
	"net/http"
	"sync"
)

var sessions sync.Map

func newSessionID() (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	return hex.EncodeToString(buf), nil
}

func startSession(w http.ResponseWriter, r *http.Request) {
	id, err := newSessionID()
	if err != nil {
		http.Error(w, "session error", http.StatusInternalServerError)
		return
	}
	sessions.Store(id, r.RemoteAddr)
	w.WriteHeader(http.StatusCreated)
}

func main() {
	http.HandleFunc("/sessions", startSession)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
