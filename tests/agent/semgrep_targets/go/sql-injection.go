// Test target for sql-injection.yaml.
package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"
)

var db *sql.DB

func userHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: bastion.go.sql-injection
	rows, _ := db.Query("SELECT * FROM users WHERE name = '" + name + "'")
	// ok: bastion.go.sql-injection
	safe, _ := db.Query("SELECT * FROM users WHERE name = $1", name)
	fmt.Fprintln(w, rows, safe)
}

func orderHandler(w http.ResponseWriter, r *http.Request) {
	query := fmt.Sprintf("SELECT * FROM orders WHERE status = '%s'", r.FormValue("status"))
	// ruleid: bastion.go.sql-injection
	rows, _ := db.QueryContext(r.Context(), query)
	fmt.Fprintln(w, rows)
}

func deleteReport(customer string) error {
	// ruleid: bastion.go.sql-injection
	_, err := db.Exec(fmt.Sprintf("DELETE FROM reports WHERE customer = '%s'", customer))
	return err
}

func deleteReportByID(id int) error {
	// ok: bastion.go.sql-injection
	_, err := db.Exec(fmt.Sprintf("DELETE FROM reports WHERE id = %d", id))
	return err
}

func byIDs(ids []any) (*sql.Rows, error) {
	placeholders := strings.Repeat("?,", len(ids)-1) + "?"
	// ok: bastion.go.sql-injection
	return db.Query("SELECT * FROM users WHERE id IN ("+placeholders+")", ids...)
}

func gormSearch(c *gin.Context, gdb *gorm.DB) {
	var users []struct{ Name string }
	// ruleid: bastion.go.sql-injection
	gdb.Where("name = '" + c.Query("name") + "'").Find(&users)
	// ok: bastion.go.sql-injection
	gdb.Where("name = ?", c.Query("name")).Find(&users)
	c.JSON(http.StatusOK, users)
}

func limit(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.FormValue("limit"))
	if err != nil {
		return
	}
	// ok: bastion.go.sql-injection
	rows, _ := db.Query("SELECT * FROM users LIMIT " + strconv.Itoa(n))
	fmt.Fprintln(w, rows)
}

func greet(name string) string {
	// ok: bastion.go.sql-injection
	return fmt.Sprintf("Hello %s, selected from the list", name)
}
