package widgets

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"

	"qrward/assets"
)

// Beep plays the station's short read sound without blocking. Fyne has no
// audio API and an audio library would add a C dependency per OS, so the
// OS's own player plays a WAV written once to the temp directory:
// PowerShell's SoundPlayer on Windows, afplay on macOS, paplay or aplay on
// Linux. Without a player the station is silent, never broken. Tests
// replace it.
var Beep = playBeep

var (
	beepOnce sync.Once
	beepPath string
)

func playBeep() {
	beepOnce.Do(func() {
		p := filepath.Join(os.TempDir(), "qrward-beep.wav")
		if os.WriteFile(p, assets.Beep, 0o600) == nil {
			beepPath = p
		}
	})
	if beepPath == "" {
		return
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("powershell", "-NoProfile", "-NonInteractive", "-Command",
			"(New-Object Media.SoundPlayer '"+beepPath+"').PlaySync()")
	case "darwin":
		cmd = exec.Command("afplay", beepPath)
	default:
		for _, player := range []string{"paplay", "aplay"} {
			if path, err := exec.LookPath(player); err == nil {
				cmd = exec.Command(path, beepPath)
				if player == "aplay" {
					cmd.Args = append(cmd.Args[:1], "-q", beepPath)
				}
				break
			}
		}
	}
	if cmd == nil || cmd.Start() != nil {
		return
	}
	go cmd.Wait() // reap the player
}
