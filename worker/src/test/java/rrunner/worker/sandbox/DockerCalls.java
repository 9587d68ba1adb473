package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rrunner.worker.config.DockerClientConfiguration;

/**
 * A real Docker client that records which commands the code under test asks for, in order, and can act just
 * before one of them: look into the container, or refuse the command as a broken daemon would.
 */
final class DockerCalls implements InvocationHandler {

    static final String ARCHIVE_READ = "archiveRead";
    /** A {@code HEAD} of the archive endpoint: the workspace's stat ({@link WorkspaceStamps}), no file read. */
    static final String ARCHIVE_STAT = "archiveStat";
    private static final Pattern ARCHIVE_PATH = Pattern.compile("/containers/([^/]+)/archive");

    private final DockerClient real;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<Object[]>> before = new ConcurrentHashMap<>();

    private DockerCalls(DockerClient real) {
        this.real = real;
    }

    static DockerCalls around(DockerClient real) {
        return new DockerCalls(real);
    }

    DockerClient client() {
        return (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
                new Class<?>[] {DockerClient.class}, this);
    }

    /**
     * The real client's transport, recording a workspace archive read as {@link #ARCHIVE_READ} (and a stat of the
     * workspace as {@link #ARCHIVE_STAT}) with the container id as its one argument: the runner reads archives on the
     * transport, not through a command.
     */
    DockerHttpClient transport() {
        DockerHttpClient transport = DockerClientConfiguration.transportOf(real);
        return new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                Matcher archive = ARCHIVE_PATH.matcher(request.path());
                if (archive.find()) {
                    String call = "HEAD".equals(request.method()) ? ARCHIVE_STAT : ARCHIVE_READ;
                    calls.add(call);
                    Consumer<Object[]> action = before.get(call);
                    if (action != null) {
                        action.accept(new Object[] {archive.group(1)});
                    }
                }
                return transport.execute(request);
            }

            @Override
            public void close() {
                // the real client owns its transport
            }
        };
    }

    /** {@code action} gets the command's arguments; whatever it throws, the caller gets instead of the command. */
    DockerCalls before(String command, Consumer<Object[]> action) {
        before.put(command, action);
        return this;
    }

    /** The commands asked for, with repeats of the same command in a row (polling) folded into one. */
    List<String> sequence() {
        List<String> folded = new ArrayList<>();
        for (String call : calls) {
            if (folded.isEmpty() || !folded.get(folded.size() - 1).equals(call)) {
                folded.add(call);
            }
        }
        return folded;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(this, args);
        }
        calls.add(method.getName());
        Consumer<Object[]> action = before.get(method.getName());
        if (action != null) {
            action.accept(args);
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
