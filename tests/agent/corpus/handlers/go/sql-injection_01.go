package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"

	_ "github.com/lib/pq"
)

type server struct {
	db *sql.DB
}

func customerQuery(name string) string {
	return fmt.Sprintf("SELECT id, email FROM customers WHERE name = '%s'", name)
}

func (s *server) searchCustomers(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	query := customerQuery(name)
	rows, err := s.db.QueryContext(r.Context(), query)
	if err != nil {
		http.Error(w, "lookup failed", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	count := 0
	for rows.Next() {
		count++
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"count": count})
}

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	http.HandleFunc("/customers/search", s.searchCustomers)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
