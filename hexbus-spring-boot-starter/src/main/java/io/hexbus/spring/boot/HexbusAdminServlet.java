package io.hexbus.spring.boot;

import io.hexbus.admin.http.AdminJson;
import io.hexbus.admin.http.HexbusAdmin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.servlet.JavalinServlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Objects;

/**
 * The admin routes and dashboard of a {@link HexbusAdmin} as a plain servlet in the application's container
 * (tested on Boot's embedded Tomcat), mounted at {@code <path>/*}. Javalin's own servlet runs the routes, with no
 * Jetty of its own: the request reaches it with the mount path moved into the context path, so the routes match
 * {@code /api/v1/…} and {@code /ui} below it and the page names its files there. Thread-safe, as a servlet must be.
 */
public final class HexbusAdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient JavalinServlet javalin;
    /** Where the servlet is mounted, below the application's context path. */
    private final String path;

    /**
     * @param admin the admin routes
     * @param path  where the servlet is mounted, below the application's context path, such as {@code /hexbus}
     */
    public HexbusAdminServlet(HexbusAdmin admin, String path) {
        Objects.requireNonNull(admin, "admin");
        this.path = Objects.requireNonNull(path, "path");
        // What Javalin.create does, without the Jetty server it builds at once (and whose servlet javalinServlet()
        // hands out when Jetty's websockets are on the class path): Javalin's plain servlet runs in any container.
        JavalinConfig config = new JavalinConfig();
        JavalinConfig.applyUserConfig(config, javalin -> {
            javalin.showJavalinBanner = false;
            javalin.startupWatcherEnabled = false;
            javalin.http.maxRequestSize = AdminJson.MAX_BODY_BYTES;
            javalin.router.mount(admin::register);
        });
        this.javalin = new JavalinServlet(config);
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        javalin.init(config);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        javalin.service(new BelowMountPath(request, request.getServletContext().getContextPath() + path), response);
    }

    @Override
    public void destroy() {
        javalin.destroy();
        super.destroy();
    }

    /** The request as Javalin's routes see it: the mount path is part of the context path, the servlet path empty. */
    private static final class BelowMountPath extends HttpServletRequestWrapper {

        private final String contextPath;

        BelowMountPath(HttpServletRequest request, String contextPath) {
            super(request);
            this.contextPath = contextPath;
        }

        @Override
        public String getContextPath() {
            return contextPath;
        }

        @Override
        public String getServletPath() {
            return "";
        }
    }
}
