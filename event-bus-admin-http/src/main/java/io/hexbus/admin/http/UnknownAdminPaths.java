package io.hexbus.admin.http;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * A path under {@value HexbusAdmin#PREFIX} that no route of the app serves answers as if it were an admin route:
 * 404 {@code admin-disabled} when the admin routes are off, 401 without the token, 415 for a mutating call that is
 * not JSON, else 404 {@code not-found}; so a caller without the token learns nothing of which admin paths exist.
 * A route the host app serves under that prefix (a match of any method's route) is left alone, and so is any path
 * outside it; so is an unknown path the app already answered with a problem ({@link AdminJson#PROBLEM_WRITTEN}).
 * The prefix is read below the app's context path, as its routes are.
 */
final class UnknownAdminPaths {

    /** Set on a request under the prefix that some route of the app matched. */
    private static final String MATCHED = "hexbus.admin-prefix-matched";

    private final TokenGuard guard;
    private final AdminJson json;

    UnknownAdminPaths(TokenGuard guard, AdminJson json) {
        this.guard = guard;
        this.json = json;
    }

    void register(JavalinDefaultRoutingApi<?> routing) {
        // Javalin runs beforeMatched handlers only when a route will serve the request: what is left is unknown.
        routing.beforeMatched(HexbusAdmin.PREFIX + "*", ctx -> ctx.attribute(MATCHED, Boolean.TRUE));
        routing.error(404, this::unknown);
    }

    private void unknown(Context ctx) {
        if (!pathInApp(ctx).startsWith(HexbusAdmin.PREFIX) || ctx.attribute(MATCHED) != null
                || ctx.attribute(AdminJson.PROBLEM_WRITTEN) != null) {
            return;
        }
        Problem problem;
        try {
            guard.check(ctx);
            problem = Problem.notFound("no such route: " + ctx.method() + " " + AdminJson.abbreviate(ctx.path()));
        } catch (Problem refused) {
            problem = refused;
        }
        json.writeProblem(ctx, problem);
    }

    // The path as the app's routes see it: below the context path, where a servlet container mounts the app.
    private static String pathInApp(Context ctx) {
        String path = ctx.path();
        String context = ctx.contextPath();
        return path.startsWith(context) ? path.substring(context.length()) : path;
    }
}
