// Test target for sql-injection.yaml.
package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/mux"
)

var db *sql.DB

func userHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: bastion.go.sql-injection
	rows, _ := db.Query("SELECT * FROM users WHERE name = '" + name + "'")
	defer rows.Close()
	query := fmt.Sprintf("SELECT * FROM users WHERE email = '%s'", r.FormValue("email"))
	// ruleid: bastion.go.sql-injection
	db.QueryRow(query)
	// ruleid: bastion.go.sql-injection
	db.ExecContext(r.Context(), "DELETE FROM sessions WHERE token = '"+r.Header.Get("X-Token")+"'")
	// ok: bastion.go.sql-injection
	db.QueryRow("SELECT * FROM users WHERE name = $1", name)
	// ok: bastion.go.sql-injection
	db.QueryRowContext(r.Context(), "SELECT * FROM users WHERE email = ?", r.FormValue("email"))
	id, err := strconv.Atoi(r.FormValue("id"))
	if err != nil {
		return
	}
	// ok: bastion.go.sql-injection
	db.Exec(fmt.Sprintf("DELETE FROM users WHERE id = %d", id))
}

func articleHandler(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	// ruleid: bastion.go.sql-injection
	db.Query("SELECT * FROM articles WHERE slug = '" + vars["slug"] + "'")
	cookie, err := r.Cookie("visitor")
	if err != nil {
		return
	}
	// ruleid: bastion.go.sql-injection
	db.Exec("UPDATE visits SET seen = 1 WHERE visitor = '" + cookie.Value + "'")
	// ruleid: bastion.go.sql-injection
	statement, _ := db.Prepare("SELECT * FROM articles ORDER BY " + r.URL.Query().Get("sort"))
	defer statement.Close()
}

func searchHandler(c *gin.Context) {
	term := c.Query("q")
	// ruleid: bastion.go.sql-injection
	db.Query("SELECT * FROM products WHERE name LIKE '%" + term + "%'")
	// ok: bastion.go.sql-injection
	db.Query("SELECT * FROM products WHERE name LIKE ?", "%"+term+"%")
	placeholders := strings.Repeat("?,", 3)
	// ok: bastion.go.sql-injection
	db.Query("SELECT * FROM products WHERE id IN (" + placeholders + "?)")
}

func purge(table string) {
	// ok: bastion.go.sql-injection
	db.Exec("DELETE FROM " + table)
}

func openCount(w http.ResponseWriter, r *http.Request) {
	clauses := map[string]string{"status": "open", "owner": r.FormValue("owner")}
	// ok: bastion.go.sql-injection
	db.QueryRow("SELECT COUNT(*) FROM tickets WHERE status = '" + clauses["status"] + "'")
	// ruleid: bastion.go.sql-injection
	db.QueryRow("SELECT COUNT(*) FROM tickets WHERE owner = '" + clauses["owner"] + "'")
}

func rewrittenCount(w http.ResponseWriter, r *http.Request) {
	clauses := map[string]string{"status": "open"}
	clauses["status"] = r.FormValue("status")
	// ruleid: bastion.go.sql-injection
	db.QueryRow("SELECT COUNT(*) FROM tickets WHERE status = '" + clauses["status"] + "'")
}
