package dev.coro.bench.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The plaintext server on Netty 4.2 with one event loop thread (a
 * {@link MultiThreadIoEventLoopGroup} of one, accepting and serving), on epoll or on NIO. Written
 * the way Netty's own TechEmpower entry is: {@link HttpServerCodec}, one
 * {@link FullHttpResponse} per request from a shared body buffer, headers set from constants, the
 * {@code Date} value refreshed once a second by a task on the loop, writes flushed once per read
 * batch ({@code channelReadComplete}), so pipelined requests go out in one flush.
 */
final class NettyPlaintextServer {
    private static final AsciiString SERVER_NAME = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached(String.valueOf(PlaintextResponse.BODY_BYTES.length));
    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes(PlaintextResponse.BODY_BYTES)).asReadOnly();

    /** The current {@code Date} value; written and read on the one loop thread. */
    private static AsciiString date = new AsciiString(PlaintextResponse.date());

    private NettyPlaintextServer() {
    }

    static void serve(int port, boolean epoll) throws InterruptedException {
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
            group.scheduleWithFixedDelay(() -> date = new AsciiString(PlaintextResponse.date()), 1, 1, TimeUnit.SECONDS);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new PlaintextHandler());
                        }
                    });
            Channel server = bootstrap.bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            System.out.println("netty " + (epoll ? "epoll" : "nio") + " plaintext server on 127.0.0.1:" + port + ", one event loop");
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Answers each request; flushes once per read batch. */
    private static final class PlaintextHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            BODY.duplicate(), false);
                    HttpHeaders headers = response.headers();
                    headers.set(HttpHeaderNames.SERVER, SERVER_NAME);
                    headers.set(HttpHeaderNames.DATE, date);
                    headers.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
                    headers.set(HttpHeaderNames.CONTENT_LENGTH, CONTENT_LENGTH);
                    if (HttpUtil.isKeepAlive(request)) {
                        ctx.write(response, ctx.voidPromise());
                    } else {
                        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                    }
                }
                // other messages (request content, LastHttpContent) are released unread
            } finally {
                ReferenceCountUtil.release(msg);
            }
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
