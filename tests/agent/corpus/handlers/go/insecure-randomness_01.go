package main

import (
	"log"
	"math/rand"
	"net/http"
	"sync"
)

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

var resetTokens sync.Map

func resetToken(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.Intn(len(alphabet))]
	}
	return string(b)
}

func forgotPassword(w http.ResponseWriter, r *http.Request) {
	email := r.PostFormValue("email")
	resetTokens.Store(resetToken(32), email)
	w.WriteHeader(http.StatusAccepted)
}

func main() {
	http.HandleFunc("/password/forgot", forgotPassword)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
