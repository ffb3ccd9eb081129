// sd_notify() against a real datagram socket standing in for systemd.
#include "tandem/sd_notify.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

class NotifySocket : public ::testing::Test {
protected:
    void SetUp() override {
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ASSERT_GE(fd_, 0);
        path_ = "/tmp/tandem-notify-" + std::to_string(getpid());
        unlink(path_.c_str());
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
        ASSERT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
        setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    }
    void TearDown() override {
        unsetenv("NOTIFY_SOCKET");
        close(fd_);
        unlink(path_.c_str());
    }
    std::string receive() {
        char buf[256];
        ssize_t n = recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
        return n < 0 ? std::string("(nothing)") : std::string(buf, static_cast<size_t>(n));
    }

    int fd_ = -1;
    std::string path_;
};

} // namespace

TEST_F(NotifySocket, SendsTheStateAsOneDatagram) {
    EXPECT_TRUE(tandem::sd_notify("READY=1\nSTATUS=watching 2 device(s)"));
    EXPECT_EQ(receive(), "READY=1\nSTATUS=watching 2 device(s)");
    EXPECT_TRUE(tandem::sd_notify("STOPPING=1"));
    EXPECT_EQ(receive(), "STOPPING=1");
}

TEST(SdNotify, WithoutSystemdDoesNothing) {
    unsetenv("NOTIFY_SOCKET");
    EXPECT_FALSE(tandem::sd_notify("READY=1"));
    setenv("NOTIFY_SOCKET", "relative/path", 1);
    EXPECT_FALSE(tandem::sd_notify("READY=1"));
    unsetenv("NOTIFY_SOCKET");
}
