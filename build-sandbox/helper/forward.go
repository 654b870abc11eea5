package main

import (
	"io"
	"net"
)

// startForwarder listens on a loopback address inside the sandbox's own network namespace and
// carries each connection to the host's module proxy relay over the Unix socket mounted into
// the sandbox. The go command only speaks HTTP over TCP; the namespace has no other way out,
// and the relay on the other end decides what may pass.
func startForwarder(addr, socket string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go relay(c, socket)
		}
	}()
	return nil
}

func relay(c net.Conn, socket string) {
	defer c.Close()
	u, err := net.Dial("unix", socket)
	if err != nil {
		return
	}
	defer u.Close()
	done := make(chan struct{}, 2)
	go func() { io.Copy(u, c); u.(*net.UnixConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(c, u); c.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	<-done
	<-done
}
