package io.hexbus.admin.http;

import io.javalin.http.Handler;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * Adds admin routes to a Javalin app, each behind the {@link TokenGuard} and answering whatever it throws as a
 * problem document ({@link FailureProblems}) by itself: the routes need no app-wide before- or exception handler,
 * so they can join an app that has its own. Each lives under {@value HexbusAdmin#PREFIX}.
 */
final class AdminRouter {

    private final JavalinDefaultRoutingApi<?> routing;
    private final TokenGuard guard;
    private final AdminJson json;

    AdminRouter(JavalinDefaultRoutingApi<?> routing, TokenGuard guard, AdminJson json) {
        this.routing = routing;
        this.guard = guard;
        this.json = json;
    }

    void get(String path, Handler handler) {
        routing.get(HexbusAdmin.PREFIX + path, guarded(handler));
    }

    void post(String path, Handler handler) {
        routing.post(HexbusAdmin.PREFIX + path, guarded(handler));
    }

    void delete(String path, Handler handler) {
        routing.delete(HexbusAdmin.PREFIX + path, guarded(handler));
    }

    private Handler guarded(Handler handler) {
        return ctx -> {
            try {
                guard.check(ctx);
                handler.handle(ctx);
            } catch (Exception thrown) {
                json.writeProblem(ctx, FailureProblems.problemFor(ctx, thrown));
            }
        };
    }
}
