// Test target for code-injection.yaml.
import groovy.lang.GroovyShell;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.servlet.http.HttpServletRequest;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CalculatorController {
    private final ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
    private final ExpressionParser parser = new SpelExpressionParser();

    @PostMapping("/calculate")
    public Object calculate(@RequestParam String expression) throws ScriptException {
        // ruleid: bastion.java.code-injection
        return engine.eval(expression);
    }

    @PostMapping("/spel")
    public Object spel(@RequestBody String expression) {
        // ruleid: bastion.java.code-injection
        return parser.parseExpression(expression).getValue();
    }

    @PostMapping("/groovy")
    public Object groovy(HttpServletRequest request) {
        String script = request.getParameter("script");
        GroovyShell shell = new GroovyShell();
        // ruleid: bastion.java.code-injection
        return shell.evaluate(script);
    }

    @PostMapping("/total")
    public Object total(@RequestParam String field) throws ScriptException {
        // ok: bastion.java.code-injection
        Object sum = engine.eval("1 + 2");
        // ok: bastion.java.code-injection
        Object value = parser.parseExpression("items.size()").getValue();
        // ok: bastion.java.code-injection
        Object number = engine.eval("" + Integer.parseInt(field) + " * 2");
        return java.util.List.of(sum, value, number);
    }

    Object evaluateRule(String rule) throws ScriptException {
        // ok: bastion.java.code-injection
        return engine.eval(rule);
    }
}

class ReportScripts {
    private static final java.util.Map<String, String> SCRIPTS = java.util.Map.of("weekly", "7 * 24");
    private final ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");

    Object period(HttpServletRequest request) throws ScriptException {
        String period = request.getParameter("period");
        if (period == null || !SCRIPTS.containsKey(period)) {
            throw new IllegalArgumentException("unknown period");
        }
        // ok: bastion.java.code-injection
        return engine.eval(SCRIPTS.get(period));
    }

    Object formula(HttpServletRequest request) throws ScriptException {
        String formula = request.getParameter("formula");
        if (formula == null || formula.length() > 200) {
            throw new IllegalArgumentException("bad formula");
        }
        // ruleid: bastion.java.code-injection
        return engine.eval(formula);
    }
}
