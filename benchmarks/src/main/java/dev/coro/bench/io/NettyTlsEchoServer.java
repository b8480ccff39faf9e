package dev.coro.bench.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/**
 * The Netty 4.2 peer of the TLS echo benchmark: one event loop (epoll or NIO), {@code SslHandler}
 * on the JDK provider ({@link SslProvider#JDK}), the same key store, protocol and cipher suite as
 * the Coro peer ({@link TlsSetup}), and the same work: split into lines
 * ({@link LineBasedFrameDecoder}), each line written back; flushed once per read batch.
 */
final class NettyTlsEchoServer {
    private NettyTlsEchoServer() {
    }

    static void serve(int port, boolean epoll, Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, TlsSetup.PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, TlsSetup.PASSWORD);
        SslContext ssl = SslContextBuilder.forServer(kmf)
                .sslProvider(SslProvider.JDK)
                .protocols(TlsSetup.PROTOCOL)
                .ciphers(List.of(TlsSetup.CIPHER_SUITE))
                .build();
        EventLoopGroup group;
        Class<? extends ServerChannel> channel;
        if (epoll) {
            if (!Epoll.isAvailable()) {
                throw new IllegalStateException("epoll is not available", Epoll.unavailabilityCause());
            }
            group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            channel = EpollServerSocketChannel.class;
        } else {
            group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            channel = NioServerSocketChannel.class;
        }
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()),
                                    new LineBasedFrameDecoder(64 * 1024, /* stripDelimiter = */ false, /* failFast = */ true),
                                    new EchoHandler());
                        }
                    });
            Channel server = bootstrap.bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            System.out.println("netty " + (epoll ? "epoll" : "nio") + " TLS echo server on 127.0.0.1:" + port
                    + ", one event loop, SslProvider.JDK, " + TlsSetup.PROTOCOL + " " + TlsSetup.CIPHER_SUITE);
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Each line back; one flush per read batch. */
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
