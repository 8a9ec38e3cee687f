package protect

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// onRemovable finds the mount holding path in /proc/mounts and asks sysfs
// whether its block device is removable.
func onRemovable(path string) bool {
	f, err := os.Open("/proc/mounts")
	if err != nil {
		return false
	}
	defer f.Close()
	best, dev := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		mnt := strings.ReplaceAll(fields[1], `\040`, " ")
		if (path == mnt || strings.HasPrefix(path, strings.TrimSuffix(mnt, "/")+"/")) && len(mnt) > len(best) {
			best, dev = mnt, fields[0]
		}
	}
	if !strings.HasPrefix(dev, "/dev/") {
		return false
	}
	return blockRemovable(filepath.Base(dev))
}

// blockRemovable reads /sys/class/block/<dev>/removable, walking from a
// partition (sdb1) to its disk (sdb).
func blockRemovable(name string) bool {
	for _, n := range []string{name, strings.TrimRight(name, "0123456789")} {
		b, err := os.ReadFile(filepath.Join("/sys/class/block", n, "removable"))
		if err == nil {
			return strings.TrimSpace(string(b)) == "1"
		}
		real, err := filepath.EvalSymlinks(filepath.Join("/sys/class/block", n))
		if err == nil {
			if b, err := os.ReadFile(filepath.Join(filepath.Dir(real), "removable")); err == nil {
				return strings.TrimSpace(string(b)) == "1"
			}
		}
	}
	return false
}
