package com.example.pricing;

import java.io.IOException;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class CodeInjection01 extends HttpServlet {
    private final ScriptEngineManager manager = new ScriptEngineManager();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String formula = request.getParameter("formula");
        String script = "var price = 100; " + formula;
        ScriptEngine engine = manager.getEngineByName("javascript");
        try {
            Object result = engine.eval(script);
            response.getWriter().write(String.valueOf(result));
        } catch (ScriptException error) {
            response.sendError(400);
        }
    }
}
