package handlers

import (
	"database/sql"
	"fmt"
	"net/http"
)

type TaskHandler struct {
	db *sql.DB
}

func (h *TaskHandler) ArchiveByStatus(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	filter := r.PostFormValue("status")
	clauses := map[string]string{"status": filter, "owner": "system"}
	update := "UPDATE tasks SET archived = true WHERE status = '" + clauses["status"] + "'"
	result, err := h.db.ExecContext(r.Context(), update)
	if err != nil {
		http.Error(w, "archive failed", http.StatusInternalServerError)
		return
	}
	affected, _ := result.RowsAffected()
	fmt.Fprintf(w, "archived %d tasks", affected)
}
