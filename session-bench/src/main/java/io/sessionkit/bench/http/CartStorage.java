package io.sessionkit.bench.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;

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
     * Stores the visitor's cart, replacing the previous one.
     *
     * @param request  the request
     * @param response the response, for a cookie that names new storage
     * @param cart     the items
     */
    void write(HttpServletRequest request, HttpServletResponse response, List<Object> cart);
}
