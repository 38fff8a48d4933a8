import ERPTestSupport
import Foundation

/// nginx as the reference proxy: a project-local process (`daemon off`, its own prefix, pid and
/// logs in a temporary directory) with `proxy_pass` to the same upstream the gateway uses, and
/// upstream keep-alive like the gateway's pool (without it nginx would open a connection per
/// request and lose on that alone).
struct NginxProxy {
    let directory: URL
    let port: Int

    /// `location <publicPrefix>` → `http://127.0.0.1:<upstreamPort><upstreamPrefix>`.
    static func configuration(directory: URL, port: Int, upstreamPort: Int, publicPrefix: String, upstreamPrefix: String) -> String {
        let dir = directory.path
        // nginx accepts `user` only when started as root, and as root would drop to nobody without it.
        let user = getuid() == 0 ? "user root;\n" : ""
        return """
            \(user)worker_processes auto;
            daemon off;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path \(dir)/client_body;
              proxy_temp_path \(dir)/proxy;
              fastcgi_temp_path \(dir)/fastcgi;
              uwsgi_temp_path \(dir)/uwsgi;
              scgi_temp_path \(dir)/scgi;
              upstream bench { server 127.0.0.1:\(upstreamPort); keepalive 256; }
              server {
                listen 127.0.0.1:\(port) backlog=1024;
                location \(publicPrefix) {
                  proxy_pass http://bench\(upstreamPrefix);
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }

            """
    }

    /// Writes the configuration and starts nginx; the caller stops (SIGTERM) and reaps the pid.
    func start(upstreamPort: Int, publicPrefix: String, upstreamPrefix: String) throws -> pid_t {
        let file = directory.appendingPathComponent("nginx.conf")
        let text = Self.configuration(
            directory: directory, port: port, upstreamPort: upstreamPort, publicPrefix: publicPrefix, upstreamPrefix: upstreamPrefix)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try ProcessRunner.spawn(
            [Self.binary, "-p", directory.path, "-c", file.path, "-e", directory.appendingPathComponent("error.log").path],
            output: directory.appendingPathComponent("nginx.log").path)
    }

    static var binary: String {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx"
    }
}
