import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local listening on 127.0.0.1 only. Its own command line has no host option: the Jetty
 * server it builds binds every interface. This takes the server DynamoDB Local builds from its
 * usual arguments and sets its connector's host before starting it. The field is private: should
 * an upgrade of the pinned package rename it, start-up fails (NoSuchFieldException) instead of
 * listening on every interface.
 */
public final class LoopbackServer {
    private LoopbackServer() {
    }

    public static void main(String[] arguments) throws Exception {
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(arguments);
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        for (Connector connector : ((Server) field.get(proxy)).getConnectors()) {
            ((ServerConnector) connector).setHost("127.0.0.1");
        }

        // SIGTERM: stop serving and close the database files before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception exception) {
                System.err.println("stopping DynamoDB Local failed: " + exception);
            }
        }));
        proxy.start();
        proxy.join();
    }
}
