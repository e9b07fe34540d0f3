package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gorilla/mux"
)

var client = &http.Client{Timeout: 5 * time.Second}

func stock(w http.ResponseWriter, r *http.Request) {
	itemID, err := strconv.Atoi(mux.Vars(r)["id"])
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	resp, err := client.Get(fmt.Sprintf("%s/items/%d/stock", os.Getenv("INVENTORY_API_URL"), itemID))
	if err != nil {
		http.Error(w, "inventory unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.Copy(w, resp.Body)
}

func main() {
	router := mux.NewRouter()
	router.HandleFunc("/items/{id}/stock", stock)
	log.Fatal(http.ListenAndServe(":8080", router))
}
