package com.example.reports;

import java.io.IOException;
import java.util.Map;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class CodeInjection04 extends HttpServlet {
    private static final Map<String, String> SCRIPTS = Map.of(
            "weekly", "7 * 24",
            "monthly", "30 * 24");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String period = request.getParameter("period");
        if (period == null || !SCRIPTS.containsKey(period)) {
            response.sendError(400);
            return;
        }
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
        try {
            response.getWriter().write(String.valueOf(engine.eval(SCRIPTS.get(period))));
        } catch (ScriptException error) {
            response.sendError(500);
        }
    }
}
