package io.sessionkit.examples.cart;

/**
 * HTML escaping for text placed in element content or in double-quoted attribute values.
 */
final class Html {

    private Html() {
    }

    /**
     * @param text any text, possibly {@code null}
     * @return the text with {@code & < > " '} replaced by character references
     */
    static String escape(Object text) {
        String value = String.valueOf(text);
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
