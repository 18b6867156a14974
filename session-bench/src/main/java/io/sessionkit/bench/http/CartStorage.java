package io.sessionkit.bench.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;
import java.util.Map;

/**
 * Where the {@link CartServlet} keeps a visitor's cart: the one thing that differs between the
 * benchmark's modes, so that the servlet itself is the same code in every one.
 */
interface CartStorage {

    /**
     * @param request the request
     * @return the visitor's cart, or {@code null} when there is none
     */
    List<?> read(HttpServletRequest request);

    /**
     * Stores a new visitor's session: every attribute, the cart among them.
     *
     * @param request    the request
     * @param response   the response, for a cookie that names the new storage
     * @param attributes the attributes by name
     */
    void create(HttpServletRequest request, HttpServletResponse response, Map<String, Object> attributes);

    /**
     * Stores the visitor's cart, replacing the previous one and leaving every other attribute
     * as it is.
     *
     * @param request  the request
     * @param response the response
     * @param cart     the items
     */
    void write(HttpServletRequest request, HttpServletResponse response, List<Object> cart);
}
