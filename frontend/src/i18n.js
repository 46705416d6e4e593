// Every string the UI shows, in Korean (the product's default, written for Korean learners; terms follow
// the Kubernetes Korean localization glossary: 노드, 파드, 컨트롤 플레인, 클러스터) and English.
// Messages that come from the server (errors, lab titles) are already localized there.

export const LANGS = ['ko', 'en'];

const strings = {
  ko: {
    'app.tagline': '브라우저에서 바로 쓰는 Kubernetes 실습 환경',
    'lang.switch': '언어',

    'images.building.title': '노드 이미지를 준비하는 중입니다',
    'images.building': 'Kubernetes 노드 이미지를 이 컴퓨터에서 만드는 중입니다. 처음에는 30분 정도 걸리고, 다음부터는 몇 초면 끝납니다. 준비가 끝나면 실습을 시작할 수 있습니다.',
    'images.failed.title': '노드 이미지를 만들지 못했습니다',
    'images.failed': '노드 이미지를 만들지 못했습니다: {error}',
    'images.wait': '이미지가 준비되면 시작할 수 있습니다',

    'sessions.title': '진행 중인 세션',
    'sessions.continue': '이어서 하기',
    'sessions.remaining': '{time} 남음',

    'labs.title': '실습 목록',
    'labs.empty': '아직 준비된 실습이 없습니다.',
    'labs.loading': '실습 목록을 불러오는 중…',
    'labs.loadFailed': '실습 목록을 불러오지 못했습니다: {error}',
    'lab.start': '실습 시작',
    'lab.starting': '시작하는 중…',
    'level.beginner': '초급',
    'level.intermediate': '중급',
    'level.advanced': '고급',
    'cluster.kind': 'kind: 컨트롤 플레인 1개 + 워커 노드 {workers}개',
    'cluster.kind.noWorkers': 'kind: 컨트롤 플레인 1개 (워커 노드 없음)',
    'cluster.kubeadm': 'kubeadm: 빈 노드 {nodes}개',

    'state.creating': '만드는 중',
    'state.resuming': '깨우는 중',
    'state.paused': '일시 정지됨',
    'state.ready': '사용 중',
    'state.failed': '실패',

    'session.loading': '세션 정보를 불러오는 중…',
    'session.creating': '클러스터를 만드는 중입니다',
    'session.creating.hint': '보통 1분 안에 끝납니다. 그동안 실습 안내를 읽어 보세요.',
    'session.creating.hintNoLesson': '보통 1분 안에 끝납니다.',
    'session.waiting': '준비를 시작하는 중…',
    'session.elapsed': '{s}초',
    'session.total': '지금까지 {s}초',
    'session.resuming': '쉬고 있던 클러스터를 다시 깨우는 중입니다',
    'session.resuming.hint': '몇 초면 됩니다.',
    'session.paused': '한동안 사용하지 않아 클러스터를 잠시 멈춰 두었습니다',
    'session.paused.hint': '다시 깨우는 중입니다. 잠시만 기다려 주세요.',
    'session.noNodes': '노드 정보를 기다리는 중…',
    'session.failed': '클러스터를 만들지 못했습니다. 다시 시도해 주세요.',
    'session.backToLabs': '실습 목록으로',
    'session.home': '처음 화면으로',
    'session.remaining': '남은 시간',
    'session.extend': '세션 연장',
    'session.extend.max': '최대 사용 시간에 도달해 더 연장할 수 없습니다',
    'session.extended': '세션을 연장했습니다. 남은 시간: {time}',
    'session.end': '세션 종료',
    'session.end.confirm': '세션을 종료할까요?\n클러스터와 그 안에서 작업한 내용이 모두 삭제됩니다.',
    'session.ended': '세션을 종료했습니다.',
    'session.expired': '세션 시간이 끝났습니다.',
    'session.lab': '실습',

    'lesson.resize': '실습 안내 크기 조절',
    'lesson.loading': '실습 안내를 불러오는 중…',
    'lesson.loadFailed': '실습 안내를 불러오지 못했습니다: {error}',
    'lesson.retry': '다시 시도',
    'lesson.steps': '실습 단계',
    'lesson.intro': '소개',
    'lesson.finish': '마무리',
    'lesson.step': '{n}단계',
    'lesson.stepOf': '{n}단계 / 전체 {total}단계',
    'lesson.locked': '앞 단계를 마치면 열립니다',
    'lesson.state.passed': '통과',
    'lesson.state.failed': '아직 통과하지 못함',
    'lesson.prev': '이전',
    'lesson.next': '다음',
    'lesson.start': '시작하기',
    'lesson.toFinish': '마무리',
    'lesson.next.locked': '이 단계의 확인을 통과하면 다음 단계로 넘어갈 수 있습니다',
    'lesson.check': '확인',
    'lesson.checking': '확인하는 중…',
    'lesson.passed': '통과했습니다',
    'lesson.failed': '아직 완료되지 않았습니다',
    'lesson.checkError': '확인하지 못했습니다',
    'lesson.checkedAt': '{time}에 확인',
    'lesson.auto': '자동 확인',
    'lesson.hint': '힌트',
    'lesson.solution': '풀이',
    'lesson.run': '실행',
    'lesson.copy': '복사',
    'lesson.sent': '입력됨',
    'lesson.copied': '복사됨',
    'lesson.run.title': '터미널에 입력하고 실행합니다',
    'lesson.run.titleNode': '{node} 터미널에 입력하고 실행합니다',
    'lesson.copy.title': '클립보드에 복사합니다',
    'lesson.inline.exec': '누르면 터미널에서 실행합니다',
    'lesson.inline.execNode': '누르면 {node} 터미널에서 실행합니다',
    'lesson.inline.copy': '누르면 복사합니다',
    'lesson.noTerminal': '터미널이 아직 준비되지 않았습니다. 클러스터가 준비되면 다시 눌러 주세요.',

    'terminal.split': '나란히 보기',
    'terminal.tabs': '탭으로 보기',
    'terminal.hint': 'Ctrl+Shift+C 복사 · Ctrl+Shift+V 붙여넣기',
    'terminal.copied': '복사했습니다',
    'terminal.pasteBlocked': '클립보드를 읽을 수 없습니다. Ctrl+V나 마우스 오른쪽 버튼 메뉴로 붙여넣어 주세요.',
    'terminal.status.connecting': '연결하는 중',
    'terminal.status.connected': '연결됨',
    'terminal.status.reconnecting': '다시 연결하는 중',
    'terminal.status.down': '노드가 멈춤',
    'terminal.reconnecting': '다시 연결하는 중…',
    'terminal.down': '{node} 노드가 멈췄습니다. 노드가 다시 켜지면 자동으로 연결합니다.',
    'terminal.exited': '셸이 종료되어 새 셸을 시작합니다.',
    'terminal.readonly': '읽기 전용 터미널입니다. 여기서는 입력할 수 없습니다.',
    'terminal.notRunning': '셸이 실행 중이 아니라 입력을 보내지 못했습니다.',

    // cluster creation stages (provisioner stage names); an unknown stage shows the server's text
    'stage.pool': '미리 만들어 둔 클러스터 배정',
    'stage.network': '클러스터 네트워크 만들기',
    'stage.cni': '파드 네트워크(CNI) 설치',
    'stage.kind': 'kind로 클러스터 만들기',
    'stage.image': '노드 이미지 확인',
    'stage.nodes': '노드 준비',
    'stage.configuration': '클러스터 설정 작성',
    'stage.control plane': '컨트롤 플레인 시작',
    'stage.storage': '스토리지 클래스 설치',
    'stage.workers': '워커 노드 조인',
    'stage.waiting': '노드가 Ready 상태가 되기를 기다리는 중',
    'stage.limits': '노드별 자원 한도 설정',
    'stage.boot': '노드 부팅 (systemd, containerd)',
    'stage.ready': '노드 준비 완료',
    'stage.resumed': '멈춰 있던 클러스터를 다시 깨움',
    'stage.retry': '첫 시도가 실패해서 처음부터 다시 만드는 중',

    'role.control-plane': '컨트롤 플레인',
    'role.worker': '워커',
    'role.node': '노드',

    'landing.join': '수업 참여',
    'landing.teach': '강사용 페이지',

    'teach.title': '강사',
    'teach.signin.title': '강사 로그인',
    'teach.signin.text': '서버를 시작할 때 표시된 강사 비밀 키를 입력하세요. (서버 로그나 데이터 폴더의 instructor.secret 파일에 있습니다.)',
    'teach.signin.secret': '강사 비밀 키',
    'teach.signin.submit': '로그인',
    'teach.signin.busy': '확인하는 중…',
    'teach.signout': '로그아웃',
    'teach.disabled': '이 서버에서는 수업 기능을 쓸 수 없습니다.',
    'teach.loading': '불러오는 중…',
    'teach.classes': '수업 목록',
    'teach.classes.empty': '아직 만든 수업이 없습니다. 아래에서 새 수업을 만드세요.',
    'teach.col.title': '수업',
    'teach.col.code': '참여 코드',
    'teach.col.lab': '실습',
    'teach.col.seats': '자리',
    'teach.col.ends': '끝나는 시각',
    'teach.open': '열기',
    'teach.ended': '끝남',
    'teach.new': '새 수업 만들기',
    'teach.new.title': '수업 이름',
    'teach.new.titlePlaceholder': '예: 쿠버네티스 입문 3주차',
    'teach.new.lab': '실습',
    'teach.new.seats': '자리 수',
    'teach.new.seatsHint': '1~40명',
    'teach.new.minutes': '수업 시간 (분)',
    'teach.new.lang': '학생 화면 언어',
    'teach.new.submit': '수업 만들기',
    'teach.new.busy': '만드는 중…',
    'teach.new.noLabs': '수업에 쓸 수 있는 실습이 없습니다.',
    'teach.new.pace': '자리마다 클러스터를 하나씩 차례로 만듭니다. 자리가 많으면 모두 준비되기까지 시간이 걸리니 수업 전에 미리 만들어 두세요.',

    'class.loading': '수업 정보를 불러오는 중…',
    'class.back': '수업 목록',
    'class.code': '참여 코드',
    'class.joinAt': '학생은 이 주소로 들어와 참여 코드와 이름을 입력합니다',
    'class.qr': '참여 주소 QR 코드',
    'class.bigger': '크게 보기',
    'class.close': '닫기',
    'class.copyUrl': '주소 복사',
    'class.copied': '복사했습니다',
    'class.remaining': '남은 시간',
    'class.endsAt': '{time}에 끝남',
    'class.extend30': '+30분',
    'class.extend60': '+60분',
    'class.extendTitle': '수업 시간을 늘립니다 (학생들의 클러스터도 함께)',
    'class.extended': '수업을 연장했습니다. {time}에 끝납니다.',
    'class.csv': 'CSV 내려받기',
    'class.end': '수업 종료',
    'class.end.confirm': '수업을 끝낼까요?\n모든 학생의 클러스터와 작업 내용이 삭제되고, 학생들은 더 이상 실습할 수 없습니다.\n(진행 상황이 필요하면 먼저 CSV를 내려받으세요.)',
    'class.ended': '수업이 끝났습니다.',
    'class.ended.text': '이 수업은 끝났습니다. 학생들의 클러스터는 삭제되었습니다.',
    'class.summary': '참여 {joined}/{seats}명 · 클러스터 준비 {ready}/{seats} · 모두 마침 {finished}명 · 막힘 {stuck}명',
    'class.live': '실시간',
    'class.offline': '실시간 연결이 끊겨 다시 연결하는 중',

    'grid.title': '진행 상황',
    'grid.seat': '자리',
    'grid.name': '이름',
    'grid.cluster': '클러스터',
    'grid.current': '현재 단계',
    'grid.progress': '진행',
    'grid.activity': '마지막 활동',
    'grid.actions': '관리',
    'grid.empty': '(빈 자리)',
    'grid.finished': '모두 마침',
    'grid.stepN': '{n}단계',
    'grid.stuck': '막힘',
    'grid.stuckTitle': '{min}분 넘게 진행이 없습니다',
    'grid.stuckAfter': '막힘 기준',
    'grid.minutes': '{n}분',
    'grid.sortBy': '정렬',
    'grid.done': '통과',
    'grid.failed': '마지막 확인 실패',
    'grid.notTried': '아직 안 함',
    'grid.cell': '{n}단계 {title}: {state}',
    'grid.ago.now': '방금',
    'grid.ago.min': '{n}분 전',
    'grid.ago.hour': '{n}시간 전',
    'grid.never': '—',
    'grid.watch': '보기',
    'grid.watchTitle': '이 학생의 터미널을 읽기 전용으로 봅니다',
    'grid.reset': '초기화',
    'grid.resetTitle': '이 자리의 클러스터를 새로 만듭니다',
    'grid.failures': '클러스터 생성이 {n}번 실패했습니다. 초기화하면 다시 시도합니다.',

    'seat.none': '준비 전',
    'seat.creating': '만드는 중',
    'seat.ready': '준비됨',
    'seat.paused': '일시 정지',
    'seat.parked': '준비됨 (대기)',
    'seat.resuming': '깨우는 중',
    'seat.failed': '실패',

    'watch.title': '{seat}번 자리 · {name}',
    'watch.readonly': '읽기 전용',
    'watch.readonlyHint': '학생의 터미널을 보기만 합니다. 여기서 입력한 내용은 학생에게 전달되지 않습니다.',
    'watch.close': '닫기',
    'watch.notReady': '이 자리의 클러스터가 준비되어 있지 않아 볼 수 없습니다.',

    'broadcast.title': '내 터미널 보여 주기',
    'broadcast.text': '이 브라우저에서 연 실습 세션의 터미널 하나를 수업의 모든 학생에게 보여 줍니다. 학생들은 자기 터미널 옆 "강사 화면" 탭에서 보기만 할 수 있습니다.',
    'broadcast.pick': '보여 줄 터미널',
    'broadcast.start': '수업에 내 터미널 보여 주기',
    'broadcast.starting': '시작하는 중…',
    'broadcast.stop': '그만 보여 주기',
    'broadcast.on': '학생들에게 보여 주는 중: {what}',
    'broadcast.open': '이 터미널 열기',
    'broadcast.reload': '목록 새로 고침',
    'broadcast.none': '이 브라우저에는 준비된 실습 세션이 없습니다. 처음 화면에서 실습이나 자유 실습을 시작한 뒤 여기서 고르세요.',
    'broadcast.home': '처음 화면 열기',
    'broadcast.started.toast': '학생들에게 내 터미널을 보여 주고 있습니다.',
    'broadcast.stopped.toast': '터미널 보여 주기를 멈췄습니다.',
    'broadcast.tab': '강사 화면',
    'broadcast.tabTitle': '강사의 터미널({host})입니다. 보기만 할 수 있고 입력은 전달되지 않습니다.',
    'broadcast.started': '강사가 화면을 보여 주고 있습니다. "강사 화면" 탭에서 볼 수 있습니다.',
    'broadcast.ended': '강사가 화면 보여 주기를 마쳤습니다.',

    'reset.title': '{seat}번 자리를 초기화할까요?',
    'reset.text': '이 자리의 클러스터를 지우고 새로 만듭니다. 학생이 클러스터에 만든 것은 모두 사라지고, 새 클러스터가 준비될 때까지 1분 정도 걸립니다.',
    'reset.keep': '진행 상황(통과한 단계) 유지',
    'reset.confirm': '초기화',
    'reset.cancel': '취소',
    'reset.done': '{seat}번 자리를 초기화했습니다. 새 클러스터를 만드는 중입니다.',

    'join.title': '수업 참여',
    'join.text': '강사가 알려 준 참여 코드와 이름을 입력하세요.',
    'join.code': '참여 코드',
    'join.codePlaceholder': 'ABC DEF',
    'join.name': '이름',
    'join.namePlaceholder': '예: 김민준',
    'join.submit': '참여하기',
    'join.busy': '참여하는 중…',
    'join.seat': '{seat}번 자리에 앉았습니다',
    'join.preparing': '{seat}번 자리: 클러스터를 준비하고 있습니다',
    'join.preparingHint': '자리마다 클러스터를 차례로 만들고 있습니다. 준비되면 실습 화면으로 바로 넘어갑니다. 이 창을 닫지 마세요.',
    'join.cancel': '취소',
    'join.rejoin': '수업에 다시 참여',

    'error.network': '서버에 연결할 수 없습니다. 네트워크 연결을 확인해 주세요. 다시 시도하는 중…',
    'error.http': '서버가 예상하지 못한 응답을 보냈습니다 (HTTP {status}).',
    'error.dismiss': '닫기',
    'notfound': '페이지를 찾을 수 없습니다.',
  },
  en: {
    'app.tagline': 'A Kubernetes playground in your browser',
    'lang.switch': 'Language',

    'images.building.title': 'Preparing the node image',
    'images.building': 'The Kubernetes node image is being built on this machine. This takes about 30 minutes the first time and seconds afterwards. You can start a lab once it is ready.',
    'images.failed.title': 'The node image could not be built',
    'images.failed': 'The node image could not be built: {error}',
    'images.wait': 'Available once the image is ready',

    'sessions.title': 'Your sessions',
    'sessions.continue': 'Continue',
    'sessions.remaining': '{time} left',

    'labs.title': 'Labs',
    'labs.empty': 'No labs are available yet.',
    'labs.loading': 'Loading the labs…',
    'labs.loadFailed': 'Could not load the labs: {error}',
    'lab.start': 'Start lab',
    'lab.starting': 'Starting…',
    'level.beginner': 'Beginner',
    'level.intermediate': 'Intermediate',
    'level.advanced': 'Advanced',
    'cluster.kind': 'kind: 1 control plane + {workers} {workersNoun}',
    'cluster.kind.noWorkers': 'kind: 1 control plane, no workers',
    'cluster.kubeadm': 'kubeadm: {nodes} bare {nodesNoun}',

    'state.creating': 'being created',
    'state.resuming': 'waking up',
    'state.paused': 'paused',
    'state.ready': 'ready',
    'state.failed': 'failed',

    'session.loading': 'Loading the session…',
    'session.creating': 'Creating your cluster',
    'session.creating.hint': 'This usually takes less than a minute. Meanwhile, read the lesson.',
    'session.creating.hintNoLesson': 'This usually takes less than a minute.',
    'session.waiting': 'Getting started…',
    'session.elapsed': '{s}s',
    'session.total': '{s}s so far',
    'session.resuming': 'Waking up your paused cluster',
    'session.resuming.hint': 'This takes a few seconds.',
    'session.paused': 'Your cluster was paused while it was idle',
    'session.paused.hint': 'Waking it up; please wait a moment.',
    'session.noNodes': 'Waiting for the node list…',
    'session.failed': 'Your cluster could not be created. Please try again.',
    'session.backToLabs': 'Back to the labs',
    'session.home': 'Go to the start page',
    'session.remaining': 'Time left',
    'session.extend': 'Extend',
    'session.extend.max': 'The session has reached its longest time and cannot be extended',
    'session.extended': 'Session extended. Time left: {time}',
    'session.end': 'End session',
    'session.end.confirm': 'End this session?\nThe cluster and everything you did in it will be deleted.',
    'session.ended': 'The session has ended.',
    'session.expired': 'The session has expired.',
    'session.lab': 'Lab',

    'lesson.resize': 'Resize the lesson panel',
    'lesson.loading': 'Loading the lesson…',
    'lesson.loadFailed': 'Could not load the lesson: {error}',
    'lesson.retry': 'Try again',
    'lesson.steps': 'Lesson steps',
    'lesson.intro': 'Intro',
    'lesson.finish': 'Finish',
    'lesson.step': 'Step {n}',
    'lesson.stepOf': 'Step {n} of {total}',
    'lesson.locked': 'opens once the steps before it are done',
    'lesson.state.passed': 'passed',
    'lesson.state.failed': 'not passed yet',
    'lesson.prev': 'Back',
    'lesson.next': 'Next',
    'lesson.start': 'Start',
    'lesson.toFinish': 'Finish',
    'lesson.next.locked': 'Pass this step\'s check to go on to the next step',
    'lesson.check': 'Check',
    'lesson.checking': 'Checking…',
    'lesson.passed': 'Passed',
    'lesson.failed': 'Not done yet',
    'lesson.checkError': 'Could not check',
    'lesson.checkedAt': 'checked at {time}',
    'lesson.auto': 'auto-check',
    'lesson.hint': 'Hint',
    'lesson.solution': 'Solution',
    'lesson.run': 'Run',
    'lesson.copy': 'Copy',
    'lesson.sent': 'Sent',
    'lesson.copied': 'Copied',
    'lesson.run.title': 'Type this into the terminal and run it',
    'lesson.run.titleNode': 'Type this into the {node} terminal and run it',
    'lesson.copy.title': 'Copy to the clipboard',
    'lesson.inline.exec': 'Click to run this in the terminal',
    'lesson.inline.execNode': 'Click to run this in the {node} terminal',
    'lesson.inline.copy': 'Click to copy',
    'lesson.noTerminal': 'The terminal is not ready yet. Try again once the cluster is ready.',

    'terminal.split': 'Side by side',
    'terminal.tabs': 'Tabs',
    'terminal.hint': 'Ctrl+Shift+C copy · Ctrl+Shift+V paste',
    'terminal.copied': 'Copied',
    'terminal.pasteBlocked': 'The clipboard cannot be read here. Paste with Ctrl+V or the right-click menu.',
    'terminal.status.connecting': 'connecting',
    'terminal.status.connected': 'connected',
    'terminal.status.reconnecting': 'reconnecting',
    'terminal.status.down': 'node stopped',
    'terminal.reconnecting': 'Reconnecting…',
    'terminal.down': 'Node {node} has stopped. The terminal reconnects when the node is back.',
    'terminal.exited': 'The shell exited; starting a new one.',
    'terminal.readonly': 'This terminal is read-only: you cannot type here.',
    'terminal.notRunning': 'The shell is not running; your input was not sent.',

    'stage.pool': 'Taking a cluster made ahead of time',
    'stage.network': 'Creating the cluster network',
    'stage.cni': 'Installing the pod network (CNI)',
    'stage.kind': 'Creating the cluster with kind',
    'stage.image': 'Checking the node image',
    'stage.nodes': 'Preparing the nodes',
    'stage.configuration': 'Writing the cluster configuration',
    'stage.control plane': 'Starting the control plane',
    'stage.storage': 'Installing the StorageClass',
    'stage.workers': 'Joining the worker nodes',
    'stage.waiting': 'Waiting for the nodes to be Ready',
    'stage.limits': 'Setting resource limits per node',
    'stage.boot': 'Booting the nodes (systemd, containerd)',
    'stage.ready': 'Nodes ready',
    'stage.resumed': 'Paused cluster woken up',
    'stage.retry': 'The first try failed: starting over',

    'role.control-plane': 'control plane',
    'role.worker': 'worker',
    'role.node': 'node',

    'landing.join': 'Join a class',
    'landing.teach': 'Instructor',

    'teach.title': 'Instructor',
    'teach.signin.title': 'Instructor sign-in',
    'teach.signin.text': 'Enter the instructor secret the server showed when it started (it is in the server log and in the file instructor.secret in its data folder).',
    'teach.signin.secret': 'Instructor secret',
    'teach.signin.submit': 'Sign in',
    'teach.signin.busy': 'Checking…',
    'teach.signout': 'Sign out',
    'teach.disabled': 'Classes are not available on this server.',
    'teach.loading': 'Loading…',
    'teach.classes': 'Classes',
    'teach.classes.empty': 'No classes yet. Create one below.',
    'teach.col.title': 'Class',
    'teach.col.code': 'Join code',
    'teach.col.lab': 'Lab',
    'teach.col.seats': 'Seats',
    'teach.col.ends': 'Ends at',
    'teach.open': 'Open',
    'teach.ended': 'ended',
    'teach.new': 'New class',
    'teach.new.title': 'Title',
    'teach.new.titlePlaceholder': 'e.g. Kubernetes basics, week 3',
    'teach.new.lab': 'Lab',
    'teach.new.seats': 'Seats',
    'teach.new.seatsHint': '1 to 40',
    'teach.new.minutes': 'Length (minutes)',
    'teach.new.lang': 'Students\' language',
    'teach.new.submit': 'Create class',
    'teach.new.busy': 'Creating…',
    'teach.new.noLabs': 'No lab is available for a class.',
    'teach.new.pace': 'The seats\' clusters are made one after the other. With many seats that takes a while: create the class ahead of time.',

    'class.loading': 'Loading the class…',
    'class.back': 'Classes',
    'class.code': 'Join code',
    'class.joinAt': 'Students open this address and enter the join code and their name',
    'class.qr': 'QR code of the join address',
    'class.bigger': 'Show large',
    'class.close': 'Close',
    'class.copyUrl': 'Copy address',
    'class.copied': 'Copied',
    'class.remaining': 'Time left',
    'class.endsAt': 'ends at {time}',
    'class.extend30': '+30 min',
    'class.extend60': '+60 min',
    'class.extendTitle': 'Make the class longer (the students\' clusters too)',
    'class.extended': 'Class extended: it ends at {time}.',
    'class.csv': 'Download CSV',
    'class.end': 'End class',
    'class.end.confirm': 'End the class?\nEvery student\'s cluster and work is deleted and the students cannot go on.\n(Download the CSV first if you need the results.)',
    'class.ended': 'The class has ended.',
    'class.ended.text': 'This class has ended. The students\' clusters have been removed.',
    'class.summary': '{joined}/{seats} joined · {ready}/{seats} clusters ready · {finished} finished · {stuck} stuck',
    'class.live': 'live',
    'class.offline': 'live updates interrupted, reconnecting',

    'grid.title': 'Progress',
    'grid.seat': 'Seat',
    'grid.name': 'Name',
    'grid.cluster': 'Cluster',
    'grid.current': 'Current step',
    'grid.progress': 'Progress',
    'grid.activity': 'Last activity',
    'grid.actions': 'Actions',
    'grid.empty': '(empty)',
    'grid.finished': 'finished',
    'grid.stepN': 'step {n}',
    'grid.stuck': 'stuck',
    'grid.stuckTitle': 'no progress for more than {min} minutes',
    'grid.stuckAfter': 'Stuck after',
    'grid.minutes': '{n} min',
    'grid.sortBy': 'Sort',
    'grid.done': 'passed',
    'grid.failed': 'last check failed',
    'grid.notTried': 'not tried',
    'grid.cell': 'Step {n} {title}: {state}',
    'grid.ago.now': 'just now',
    'grid.ago.min': '{n} min ago',
    'grid.ago.hour': '{n} h ago',
    'grid.never': '—',
    'grid.watch': 'Watch',
    'grid.watchTitle': 'Watch this student\'s terminal, read-only',
    'grid.reset': 'Reset',
    'grid.resetTitle': 'Give this seat a fresh cluster',
    'grid.failures': 'Creating the cluster failed {n} times. Reset the seat to try again.',

    'seat.none': 'not yet',
    'seat.creating': 'creating',
    'seat.ready': 'ready',
    'seat.paused': 'paused',
    'seat.parked': 'ready (idle)',
    'seat.resuming': 'waking up',
    'seat.failed': 'failed',

    'watch.title': 'Seat {seat} · {name}',
    'watch.readonly': 'read-only',
    'watch.readonlyHint': 'You are watching the student\'s terminal. Nothing you type here reaches the student.',
    'watch.close': 'Close',
    'watch.notReady': 'This seat\'s cluster is not ready: there is nothing to watch.',

    'broadcast.title': 'Show my terminal',
    'broadcast.text': 'Show every student of the class one terminal of a lab session you opened in this browser. Students watch it, read-only, in the "Instructor\'s screen" tab beside their own terminals.',
    'broadcast.pick': 'Terminal to show',
    'broadcast.start': 'Show my terminal to the class',
    'broadcast.starting': 'Starting…',
    'broadcast.stop': 'Stop showing',
    'broadcast.on': 'Showing the class: {what}',
    'broadcast.open': 'Open this terminal',
    'broadcast.reload': 'Refresh the list',
    'broadcast.none': 'This browser has no ready lab session. Start a lab or a playground from the start page, then pick it here.',
    'broadcast.home': 'Open the start page',
    'broadcast.started.toast': 'The class now sees your terminal.',
    'broadcast.stopped.toast': 'The class no longer sees your terminal.',
    'broadcast.tab': 'Instructor\'s screen',
    'broadcast.tabTitle': 'Your instructor\'s terminal ({host}): you can watch it, but nothing you type is sent.',
    'broadcast.started': 'Your instructor is showing their terminal: see the "Instructor\'s screen" tab.',
    'broadcast.ended': 'Your instructor stopped showing their terminal.',

    'reset.title': 'Reset seat {seat}?',
    'reset.text': 'The seat\'s cluster is deleted and a new one is made. Everything the student made in the cluster is lost; the new cluster takes about a minute.',
    'reset.keep': 'Keep the progress (steps passed)',
    'reset.confirm': 'Reset',
    'reset.cancel': 'Cancel',
    'reset.done': 'Seat {seat} reset: its new cluster is being made.',

    'join.title': 'Join a class',
    'join.text': 'Enter the join code your instructor gave you, and your name.',
    'join.code': 'Join code',
    'join.codePlaceholder': 'ABC DEF',
    'join.name': 'Name',
    'join.namePlaceholder': 'e.g. Alex Kim',
    'join.submit': 'Join',
    'join.busy': 'Joining…',
    'join.seat': 'You have seat {seat}',
    'join.preparing': 'Seat {seat}: your cluster is being prepared',
    'join.preparingHint': 'The seats\' clusters are made one after the other. Your lab opens as soon as yours is ready: keep this page open.',
    'join.cancel': 'Cancel',
    'join.rejoin': 'Join the class again',

    'error.network': 'Cannot reach the server. Please check your network connection. Retrying…',
    'error.http': 'The server sent an unexpected answer (HTTP {status}).',
    'error.dismiss': 'Dismiss',
    'notfound': 'Page not found.',
  },
};

const COOKIE = 'lang';

function cookieLang() {
  for (const part of document.cookie.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && LANGS.includes(v)) return v;
  }
  return null;
}

// The browser's preferred supported language; Korean when it prefers neither (the product's default),
// the same rule the server applies to Accept-Language.
function browserLang() {
  const prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
  for (const p of prefs) {
    const l = String(p).toLowerCase();
    if (l.startsWith('ko')) return 'ko';
    if (l.startsWith('en')) return 'en';
  }
  return 'ko';
}

let current = null;

export function lang() {
  if (!current) current = cookieLang() || browserLang();
  return current;
}

// chosenLang: the language the person picked with the switch (the cookie), or null.
export function chosenLang() {
  return cookieLang();
}

export function setLang(l) {
  if (!LANGS.includes(l)) return;
  current = l;
  document.cookie = `${COOKIE}=${l}; path=/; max-age=31536000; SameSite=Lax`;
  document.documentElement.lang = l;
}

// t looks a key up in the current language (falling back to English, then the key) and fills {name}
// placeholders from vars.
export function t(key, vars) {
  let s = strings[lang()][key] ?? strings.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// translate refreshes every element under root marked data-i18n="key" (its text) or
// data-i18n-title="key" (its title and aria-label).
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) {
    el.title = t(el.dataset.i18nTitle);
    el.setAttribute('aria-label', el.title);
  }
}

export function levelLabel(level) {
  if (!level) return '';
  const k = `level.${level}`;
  const s = t(k);
  return s === k ? level : s;
}

// stageLabel names a cluster creation stage in the UI's language. The provisioner reports stages by
// name with English text from kind (emoji included); a name we know gets our text, anything else
// shows the server's text without the emoji.
export function stageLabel(name, message) {
  let key = `stage.${name}`;
  if (name === 'network' && /cni/i.test(message || '')) key = 'stage.cni'; // kind's "Installing CNI"
  if (name === 'ready' && /resum/i.test(message || '')) key = 'stage.resumed';
  const s = t(key);
  if (s !== key) return s;
  return String(message || name || '')
    .replace(/\p{Extended_Pictographic}|\uFE0F/gu, '')
    .trim();
}

export function roleLabel(role) {
  const k = `role.${role}`;
  const s = t(k);
  return s === k ? role : s;
}

// clusterShape describes a lab's cluster: "kind: 1 control plane + 1 worker", "kubeadm: 2 bare nodes".
// A kubeadm cluster of W workers has W+1 bare nodes (node1 becomes the control plane).
export function clusterShape(cluster) {
  if (!cluster) return '';
  const workers = Number(cluster.workers) || 0;
  if (cluster.mode === 'kubeadm') {
    const nodes = workers + 1;
    return t('cluster.kubeadm', { nodes, nodesNoun: nodes === 1 ? 'node' : 'nodes' });
  }
  if (workers === 0) return t('cluster.kind.noWorkers');
  return t('cluster.kind', { workers, workersNoun: workers === 1 ? 'worker' : 'workers' });
}

// catalog is read by build.mjs, which fails the build when a key is missing in one language.
export const catalog = strings;
