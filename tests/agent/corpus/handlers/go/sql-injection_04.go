package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

type articleStore struct {
	db *sql.DB
}

func (s *articleStore) register(router *gin.Engine) {
	router.GET("/articles", func(c *gin.Context) {
		page, err := strconv.Atoi(c.Query("page"))
		if err != nil || page < 1 {
			c.JSON(http.StatusBadRequest, gin.H{"error": "bad page"})
			return
		}
		query := fmt.Sprintf("SELECT id, title FROM articles ORDER BY id LIMIT 20 OFFSET %d", (page-1)*20)
		rows, err := s.db.Query(query)
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "query failed"})
			return
		}
		defer rows.Close()
		c.JSON(http.StatusOK, gin.H{"page": page})
	})
}
