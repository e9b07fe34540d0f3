package main

import (
	"log"
	"net/http"
	"os/exec"

	"github.com/gorilla/mux"
)

var restartable = map[string]bool{
	"nginx":  true,
	"worker": true,
	"cron":   true,
}

func restartService(w http.ResponseWriter, r *http.Request) {
	service := mux.Vars(r)["service"]
	if !restartable[service] {
		http.Error(w, "unknown service", http.StatusBadRequest)
		return
	}
	if err := exec.Command("/bin/sh", "-c", "systemctl restart "+service).Run(); err != nil {
		http.Error(w, "restart failed", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	router := mux.NewRouter()
	router.HandleFunc("/services/{service}/restart", restartService).Methods(http.MethodPost)
	log.Fatal(http.ListenAndServe(":8080", router))
}
