package main

import (
	"database/sql"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
	_ "github.com/go-sql-driver/mysql"
)

func stockStatement(sku string) string {
	return "SELECT quantity FROM stock WHERE sku = '" + sku + "'"
}

func main() {
	db, err := sql.Open("mysql", os.Getenv("MYSQL_DSN"))
	if err != nil {
		panic(err)
	}
	router := gin.Default()
	router.GET("/stock/:sku", func(c *gin.Context) {
		sku := c.Param("sku")
		statement := stockStatement(sku)
		var quantity int
		if err := db.QueryRow(statement).Scan(&quantity); err != nil {
			c.JSON(http.StatusNotFound, gin.H{"error": "unknown sku"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"quantity": quantity})
	})
	_ = router.Run(":8080")
}
