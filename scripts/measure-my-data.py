#!/usr/bin/env python3
"""Measures "Mes données" on the release build: the server's memory (VmRSS, VmHWM) before and
after downloading the file of a host with N messages, its size and time.
Usage: scripts/measure-my-data.py N SERVER_BINARY SITE_ROOT"""
import json, os, shutil, sqlite3, subprocess, sys, tempfile, time, urllib.request, http.cookiejar, urllib.parse
N = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
binary, site = sys.argv[2], sys.argv[3]
data = tempfile.mkdtemp()
db = f"{data}/db.sqlite"
env = dict(os.environ, DATABASE_URL=f"sqlite://{db}", SITE_ADDR="127.0.0.1:3300",
           LEPTOS_SITE_ROOT=site, MEDIA_DIR=f"{data}/media", MAIL_DIR=f"{data}/mail",
           LOG_LEVEL="warn", DEMO_CONTENT="false")
server = subprocess.Popen([binary], env=env)
base = "http://127.0.0.1:3300"
for _ in range(100):
    try:
        urllib.request.urlopen(base + "/healthz"); break
    except Exception:
        time.sleep(0.2)
def client():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
def call(who, endpoint, form):
    req = urllib.request.Request(base + "/api/" + endpoint, data=urllib.parse.urlencode(form).encode(),
        headers={"accept": "application/json", "sec-fetch-site": "same-origin"})
    return who.open(req)
def account(role, email):
    who = client()
    call(who, "sign_up", {"role": role, "email": email, "password": "une chanson douce"})
    con = sqlite3.connect(db); con.execute("UPDATE users SET email_verified_at = created_at WHERE email = ?", (email,)); con.commit(); con.close()
    call(who, "sign_in", {"email": email, "password": "une chanson douce"})
    return who
host = account("host", "hote@mesure.fr")
call(host, "save_host_profile", {"host[name]": "Famille Mesure", "host[city]": "69001", "host[description]": "Salon"})
artist = account("artist", "trio@mesure.fr")
slug = json.load(call(artist, "save_artist_profile", {"profile[stage_name]": "Trio Mesure", "profile[music_types]": "Jazz", "profile[whole_france]": "true", "profile[published]": "true"}))["slug"]
conv = json.load(call(host, "write_to_artist", {"artist": slug, "body": "Bonjour"}))["conversation_id"]
con = sqlite3.connect(db)
host_id = con.execute("SELECT host_id FROM conversations WHERE id = ?", (conv,)).fetchone()[0]
body = "la" * 500
con.executemany("INSERT INTO messages (conversation_id, sender_id, body, created_at) VALUES (?, ?, ?, ?)",
                ((conv, host_id, body, int(time.time() * 1000)) for _ in range(N)))
con.commit(); con.close()
def memory():
    status = open(f"/proc/{server.pid}/status").read()
    field = lambda name: int(next(l for l in status.splitlines() if l.startswith(name)).split()[1])
    return field("VmRSS:"), field("VmHWM:")
before = memory()
start = time.perf_counter()
response = call(host, "my_data", {})
size = 0
while True:
    chunk = response.read(65536)
    if not chunk: break
    size += len(chunk)
elapsed = time.perf_counter() - start
after = memory()
print(f"messages: {N + 1}, file: {size / 1e6:.1f} MB, time: {elapsed:.2f} s")
print(f"server VmRSS before {before[0] / 1024:.1f} MiB, after {after[0] / 1024:.1f} MiB; peak (VmHWM) before {before[1] / 1024:.1f} MiB, after {after[1] / 1024:.1f} MiB")
server.terminate(); server.wait()
shutil.rmtree(data)
