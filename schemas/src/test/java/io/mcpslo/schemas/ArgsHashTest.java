package io.mcpslo.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Test vectors for the gateways' args_hash: RFC 8785's own examples and the ECMAScript number forms. */
class ArgsHashTest {

    @Test
    void canonicalizesRfc8785SectionThreeTwoThreesExample() {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        assertEquals("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}", ArgsHash.canonical(input));
    }

    @Test
    void sortsMembersByUtf16CodeUnitsAtEveryDepth() {
        // RFC 8785 3.2.3: "\r" < "1" < "\u0080" < "ö" < "€" < "😀" (U+1F600 as surrogates) < "דּ" (U+FB33)
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With "
                + "Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\",\"nested\":{\"b\":[{\"z\":1,\"a\":2}],\"a\":0}}";
        assertEquals("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"nested\":{\"a\":0,\"b\":[{\"a\":2,\"z\":1}]},"
                + "\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}", ArgsHash.canonical(input));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0", "-0.0, 0", "1, 1", "-1, -1", "4.50, 4.5", "0.002, 0.002", "1e-7, 1e-7", "0.000001, 0.000001",
        "1e21, 1e+21", "1e20, 100000000000000000000", "123456789012345678901, 123456789012345680000",
        "5e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308", "9007199254740993, 9007199254740992",
        "0.1, 0.1", "-1.5e-9, -1.5e-9", "333333333.33333329, 333333333.3333333", "1E30, 1e+30"})
    void writesNumbersAsEcmaScriptDoes(String json, String canonical) {
        assertEquals(canonical, ArgsHash.canonical(json));
    }

    @Test
    void equalArgumentsWrittenDifferentlyHashTheSame() {
        String a = ArgsHash.of("{\"repo\":\"acme/api\",\"draft\":false,\"reviewers\":[\"bob\"],\"limit\":10}");
        String b = ArgsHash.of(" { \"limit\" : 1e1, \"reviewers\" : [ \"bob\" ], \"draft\": false, \"repo\": \"acme\\/api\" } ");
        assertEquals(a, b);
        assertEquals("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", ArgsHash.of("{}"),
                "SHA-256 of the two bytes {}");
        assertEquals(true, a.matches("[0-9a-f]{64}"), "lower-case hex, as the audit schema requires: " + a);
    }

    @Test
    void refusesRepeatedMembersAndNonJson() {
        assertThrows(IllegalArgumentException.class, () -> ArgsHash.of("{\"a\":1,\"a\":2}"));
        assertThrows(IllegalArgumentException.class, () -> ArgsHash.of("{\"a\":"));
        assertThrows(IllegalArgumentException.class, () -> ArgsHash.of(""));
    }
}
