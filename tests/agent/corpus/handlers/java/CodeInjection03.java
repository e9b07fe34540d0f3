package com.example.rules;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class CodeInjection03 {
    private final ScriptEngine engine = new ScriptEngineManager().getEngineByName("groovy");

    public static class RuleRequest {
        public String expression;
    }

    @PostMapping("/rules/try")
    public Object tryRule(
            @RequestBody RuleRequest ruleRequest) throws ScriptException {
        String[] rules = new String[2];
        rules[0] = ruleRequest.expression;
        rules[1] = "true";
        return engine.eval(rules[0]);
    }
}
