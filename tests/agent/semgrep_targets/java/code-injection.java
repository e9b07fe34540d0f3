// Test target for code-injection.yaml.
import groovy.lang.GroovyShell;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.servlet.http.HttpServletRequest;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

public class Calculator {
    private final ScriptEngineManager manager = new ScriptEngineManager();

    Object calculate(HttpServletRequest request) throws Exception {
        String formula = request.getParameter("formula");
        ScriptEngine engine = manager.getEngineByName("javascript");
        // ruleid: bastion.java.code-injection
        Object result = engine.eval(formula);
        // ok: bastion.java.code-injection
        Object constant = engine.eval("1 + 1");
        return result.toString() + constant;
    }

    Object rule(String condition) {
        // ruleid: bastion.java.code-injection
        return new GroovyShell().evaluate("return " + condition);
    }

    Object spel(String userExpression, Object root) {
        ExpressionParser parser = new SpelExpressionParser();
        // ruleid: bastion.java.code-injection
        Expression expression = parser.parseExpression(userExpression);
        // ok: bastion.java.code-injection
        Expression fixed = parser.parseExpression("name");
        return expression.getValue(root).toString() + fixed.getValue(SimpleEvaluationContext.forReadOnlyDataBinding().build(), root);
    }
}
